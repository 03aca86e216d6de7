import { useEffect, useRef } from 'react';
import { useConsole } from '../store/console-store';
import { FlashForm } from './FlashForm';

/** The modal flash dialog; a native <dialog> keeps focus inside and closes on Escape. */
export function FlashDialog() {
  const address = useConsole((s) => s.flashDialogFor);
  const close = useConsole((s) => s.closeFlashDialog);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (address !== null && !dialog.open) dialog.showModal();
    if (address === null && dialog.open) dialog.close();
  }, [address]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="flash-heading" onClose={close}>
      {address !== null && <FlashForm key={address} initialAddress={address} onDone={close} />}
    </dialog>
  );
}

import { useEffect, useRef } from 'react';
import { useConsole } from '../store/console-store';
import { FlashForm } from './FlashForm';

/** The modal manual flash dialog; a native <dialog> keeps focus inside and closes on Escape. */
export function FlashDialog() {
  const request = useConsole((s) => s.flashDialog);
  const close = useConsole((s) => s.closeFlashDialog);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request !== null && !dialog.open) dialog.showModal();
    if (request === null && dialog.open) dialog.close();
  }, [request]);

  return (
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby="flash-heading" aria-describedby="flash-description" onClose={close}>
      {request !== null && <FlashForm request={request} onDone={close} />}
    </dialog>
  );
}

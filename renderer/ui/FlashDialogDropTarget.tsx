import { useState, type DragEvent, type ReactNode } from 'react';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';

function carriesFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes('Files');
}

/**
 * The Terminals screen as a drop target: a firmware file dropped on it opens
 * the flash dialog with the ticked terminals (or every terminal, none
 * ticked, when nothing is selected) and reads the file at once.
 */
export function FlashDialogDropTarget({ children }: { children: ReactNode }) {
  const t = useT();
  const order = useConsole((s) => s.deviceOrder);
  const selected = useConsole((s) => s.selectedAddresses);
  const online = useConsole((s) => s.connection === 'online');
  const openFlashDialog = useConsole((s) => s.openFlashDialog);
  const [over, setOver] = useState(false);

  const onDragOver = (event: DragEvent) => {
    if (!online || !carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDragLeave = (event: DragEvent) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
  };
  const onDrop = (event: DragEvent) => {
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (!online || !file) return;
    event.preventDefault();
    const chosen = order.filter((a) => selected.includes(a));
    openFlashDialog(chosen.length > 0 ? chosen : order, { file, chosen: chosen.length > 0 });
  };

  return (
    <div className={over ? 'flash-drop-target drop-active' : 'flash-drop-target'} onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop} data-testid="terminals-drop-target">
      {children}
      {over && (
        <div className="drop-overlay" aria-hidden="true">
          <span>{t.flash.dropOnTerminals}</span>
        </div>
      )}
    </div>
  );
}

import { decodeJsonWire, encodeJsonWire, type MessageLink } from '../../electron/shared/rpc';

/** A MessageLink over one open browser WebSocket, carrying wire JSON text. */
export function browserSocketLink(socket: WebSocket): MessageLink {
  return {
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeJsonWire(message));
    },
    onMessage(listener) {
      const onMessage = (event: MessageEvent) => {
        if (typeof event.data === 'string') listener(decodeJsonWire(event.data));
      };
      socket.addEventListener('message', onMessage);
      return { dispose: () => socket.removeEventListener('message', onMessage) };
    },
  };
}

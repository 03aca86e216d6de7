import type { WebSocket } from 'ws';
import { RpcMessageSchema, decodeJsonWire, encodeJsonWire, type MessageLink, type RpcMessage } from '../shared/rpc';
import { E, ZucError } from '../shared/errors';

/** WebSocket close codes (RFC 6455 §7.4.1). */
const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_INVALID_PAYLOAD = 1007;

/**
 * The station side of one browser connection as a MessageLink. Text frames
 * carry wire JSON. A frame that is not an RPC message is answered with a
 * BAD_REQUEST error when it names a call id, and otherwise ends the
 * connection: the peer is not the console page.
 */
export function socketMessageLink(socket: WebSocket): MessageLink {
  return {
    send(message: RpcMessage) {
      if (socket.readyState === socket.OPEN) socket.send(encodeJsonWire(message));
    },
    onMessage(listener) {
      const onFrame = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        if (isBinary) return socket.close(CLOSE_UNSUPPORTED_DATA, 'binary frames are not part of the console protocol');
        const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
        const message = decodeJsonWire(text);
        if (RpcMessageSchema.safeParse(message).success) return listener(message);
        const id = callIdOf(message);
        if (id === null) return socket.close(CLOSE_INVALID_PAYLOAD, `${E.BAD_REQUEST.code} not a console message`);
        const error = new ZucError(E.BAD_REQUEST, 'the message is not a call the console understands').toJSON();
        socket.send(encodeJsonWire({ t: 'err', id, error } satisfies RpcMessage));
      };
      socket.on('message', onFrame);
      return { dispose: () => void socket.off('message', onFrame) };
    },
  };
}

function callIdOf(message: unknown): number | null {
  if (!message || typeof message !== 'object') return null;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

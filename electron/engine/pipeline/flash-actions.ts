import { E, ZucError } from '../../shared/errors';
import { logError, logText } from '../../shared/job-log';
import { parseImageHeader } from '../image/image-header';
import type { LoadedImage } from '../image/load-image';
import { deltaForDevice, looksLikePackage, unpackForTerminal } from '../image/package-image';
import { otherSlot, targetImage, type DevicePatch, type FlashContext, type FlashIo } from './flash-context';
import { ProgressMeter } from './progress-meter';
import { reachTerminal } from './reach-terminal';

/** What a machine node does. `signal` aborts when the node's timeout expires. */
export type Action = (ctx: FlashContext, io: FlashIo, signal: AbortSignal) => Promise<void>;

export const detectTerminal: Action = async (ctx, io) => {
  const identity = await io.session.connect();
  ctx.before = ctx.latest = identity;
  // A single-slot terminal is written over its running image (backed up first); others in the inactive slot.
  ctx.targetSlot = identity.capabilities?.slots === 1 ? identity.activeSlot : otherSlot(identity.activeSlot);
  try {
    ctx.deviceLogFrom = (await io.session.readLog()).length;
  } catch (err) {
    // The job can go on without it; the report then copies the whole device log.
    io.log('warn', logText('device-log-unreadable', { error: logError(ZucError.from(err)) }));
  }
  io.log(
    'info',
    logText('terminal-identified', {
      model: identity.model,
      hwRevision: identity.hwRevision,
      serial: identity.serial,
      version: identity.firmwareVersion,
      activeSlot: identity.activeSlot,
      activeState: identity.slots[identity.activeSlot].state,
      targetSlot: ctx.targetSlot,
      targetVersion: identity.slots[ctx.targetSlot].version,
      targetState: identity.slots[ctx.targetSlot].state,
    }),
  );
};

export const readImage: Action = async (ctx, io) => {
  const loaded = await io.loadImage(ctx.imageRef);
  if (looksLikePackage(loaded.bytes) && (await patchForDevice(ctx, io, loaded))) return;
  ctx.image = looksLikePackage(loaded.bytes) ? await unpackImage(ctx, io, loaded) : loaded;
  try {
    ctx.header = parseImageHeader(ctx.image.bytes);
  } catch (err) {
    // Left to the `imageHasHeader` guard, so the size check still comes first.
    ctx.headerProblem = ZucError.from(err).detail;
  }
  const header = ctx.header ? { model: ctx.header.model, hwRevision: ctx.header.hwRevision, version: ctx.header.version } : null;
  io.log('info', logText('image-read', { name: ctx.image.name, bytes: ctx.image.bytes.byteLength, sha256: ctx.image.sha256, header }));
};

/**
 * A delta package for a terminal that applies deltas itself: verified
 * here, and only the patch goes over the link. False when the package is
 * not a delta or the terminal cannot apply one.
 */
async function patchForDevice(ctx: FlashContext, io: FlashIo, loaded: LoadedImage): Promise<boolean> {
  if (!ctx.before) throw new ZucError(E.INTERNAL, 'verify ran before detect');
  const { activeSlot } = ctx.before;
  const runningSlotHash = async (length: number) => Buffer.from(await io.session.hashSlot(activeSlot, length)).toString('hex');
  const unpacked = await deltaForDevice(loaded, ctx.before, io.packagePolicy, runningSlotHash);
  if (!unpacked) return false;
  for (const warning of unpacked.warnings) io.log('warn', warning);
  for (const note of unpacked.notes) io.log('info', note);
  ctx.package = unpacked.facts;
  ctx.patch = unpacked.patch;
  const { packageId, version, securityVersion } = unpacked.facts;
  io.log('info', logText('delta-package-verified', { packageId, version, securityVersion, targetBytes: unpacked.patch.target.length, deltaBytes: unpacked.patch.bytes.byteLength }));
  return true;
}

/**
 * A signed package is checked against the identity detect read and its
 * full image extracted, all before the write node can run; the job then
 * flashes that image like any other.
 */
async function unpackImage(ctx: FlashContext, io: FlashIo, loaded: LoadedImage): Promise<LoadedImage> {
  if (!ctx.before) throw new ZucError(E.INTERNAL, 'verify ran before detect');
  io.log('info', logText('package-read', { name: loaded.name, bytes: loaded.bytes.byteLength, sha256: loaded.sha256 }));
  const { activeSlot } = ctx.before;
  const runningSlotHash = async (length: number) => Buffer.from(await io.session.hashSlot(activeSlot, length)).toString('hex');
  const unpacked = await unpackForTerminal(loaded, ctx.before, io.packagePolicy, runningSlotHash);
  for (const warning of unpacked.warnings) io.log('warn', warning);
  for (const note of unpacked.notes) io.log('info', note);
  ctx.package = unpacked.facts;
  const { packageId, version, securityVersion, partition } = unpacked.facts;
  io.log('info', logText('package-verified', { packageId, version, securityVersion, partition }));
  return unpacked.image;
}

export const writeInactiveSlot: Action = async (ctx, io, signal) => {
  if (ctx.patch) return applyDeltaOnDevice(ctx, io, signal, ctx.patch);
  const { slot } = required(ctx);
  const image = ctx.image;
  if (!image) throw new ZucError(E.INTERNAL, 'write ran without an image');
  const meter = new ProgressMeter(image.bytes.byteLength, io.clock.now());
  io.progress(meter.current());
  // After a reconnect the terminal continues from what it acknowledged; the bytes before are not sent again.
  const resume = ctx.resumes > 0;
  await io.session.writeSlot(slot, image.bytes, {
    signal,
    resume,
    // Hashed when the image was loaded: the driver need not read all of it again before the first chunk.
    imageSha256: image.sha256,
    onProgress: (done) => {
      ctx.bytesSent = Math.max(ctx.bytesSent, done);
      io.progress(meter.update(done, io.clock.now()));
    },
  });
  ctx.bytesSent = image.bytes.byteLength;
  io.progress(meter.update(image.bytes.byteLength, io.clock.now()));
  io.log('info', logText('slot-written', { bytes: image.bytes.byteLength, slot, resumes: resume ? ctx.resumes : 0 }));
};

/**
 * The link dropped during a resumable write: connect again and again until
 * the same terminal answers (the node's deadline ends the wait). The write
 * node then resumes.
 */
export const awaitTerminalBack: Action = async (ctx, io, signal) => {
  io.log('warn', logText('link-lost-waiting', { address: ctx.address, waitMs: io.timeouts.reconnectWaitMs }));
  const identity = await io.session.awaitBoot(signal);
  if (signal.aborted) return;
  if (ctx.before && identity.serial !== ctx.before.serial) {
    await io.session.disconnect();
    throw new ZucError(E.LINK_LOST, `a different terminal (serial ${identity.serial}) answered at ${ctx.address}; expected ${ctx.before.serial}`);
  }
  ctx.latest = identity;
  ctx.resumes++;
  io.log('info', logText('terminal-back', { serial: identity.serial, resume: ctx.resumes }));
};

/** The write step for a delta: the terminal checks its running image, applies the patch into the slot and checks the result. */
async function applyDeltaOnDevice(ctx: FlashContext, io: FlashIo, signal: AbortSignal, patch: DevicePatch): Promise<void> {
  const { slot } = required(ctx);
  const meter = new ProgressMeter(patch.bytes.byteLength, io.clock.now());
  io.progress(meter.current());
  await io.session.applyDelta(slot, patch.bytes, {
    source: patch.source,
    target: patch.target,
    signal,
    onProgress: (done) => {
      ctx.bytesSent = Math.max(ctx.bytesSent, done);
      io.progress(meter.update(done, io.clock.now()));
    },
  });
  ctx.bytesSent = patch.bytes.byteLength;
  io.progress(meter.update(patch.bytes.byteLength, io.clock.now()));
  io.log('info', logText('delta-applied', { deltaBytes: patch.bytes.byteLength, slot, targetBytes: patch.target.length }));
}

export const readBackSlot: Action = async (ctx, io) => {
  const { target, slot } = required(ctx);
  const digest = await io.session.hashSlot(slot, target.length);
  ctx.readbackSha256 = Buffer.from(digest).toString('hex');
  io.log('info', logText('slot-read-back', { slot, sha256: ctx.readbackSha256 }));
};

export const activateNewSlot: Action = async (ctx, io) => {
  const { slot } = required(ctx);
  await io.session.setActive(slot);
  io.log('info', logText('slot-activated', { slot }));
};

export const rebootIntoNewSlot: Action = async (ctx, io, signal) => {
  await io.session.reboot();
  io.log('info', logText('reboot-acknowledged', {}));
  const identity = await io.session.awaitBoot(signal);
  // An answer that came after the boot deadline belongs to the rollback branch, not to this node.
  if (!signal.aborted) ctx.latest = identity;
};

export const confirmNewSlot: Action = async (ctx, io) => {
  const { slot } = required(ctx);
  if (ctx.latest?.slots[slot].state === 'pending') {
    await io.session.confirm();
    io.log('info', logText('slot-confirmed', { slot }));
  }
  ctx.latest = await io.session.identify();
};

/**
 * The rollback branch: bring the terminal back to the slot it ran before
 * the job. If its bootloader already fell back, only check that; otherwise
 * switch the active slot back and reboot into it.
 */
export const rollBackToPreviousSlot: Action = async (ctx, io, signal) => {
  const previous = otherSlot(required(ctx).slot);
  let now = await reachTerminal(io, signal);
  if (now.activeSlot !== previous) {
    io.log('warn', logText('switching-back', { slot: previous }));
    await io.session.setActive(previous);
    await io.session.reboot();
    now = await io.session.awaitBoot(signal);
    if (now.activeSlot !== previous) throw new ZucError(E.ROLLBACK_FAILED, `terminal still runs slot ${now.activeSlot} after switching back to ${previous}`);
  }
  if (now.slots[previous].state === 'pending') {
    await io.session.confirm();
    now = await io.session.identify();
  }
  ctx.latest = now;
  io.log('info', logText('runs-again', { version: now.firmwareVersion, slot: previous }));
};

function required(ctx: FlashContext) {
  const target = targetImage(ctx);
  if (!target || !ctx.targetSlot) throw new ZucError(E.INTERNAL, 'install step ran before detect and verify');
  return { target, slot: ctx.targetSlot };
}

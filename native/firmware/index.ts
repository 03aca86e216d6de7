export {
  buildFirmwareImage,
  FIRMWARE_HEADER_SIZE,
  parseFirmwareHeader,
  verifyFirmwareImage,
  type FirmwareHeader,
  type FirmwareImageSpec,
} from './firmware-image';

/**
 * Imagery readers: pure functions from bytes to extracted data (no database).
 *
 *   readImage(bytes, {filename, maxPixels?, thumbnailDir?, ocr?, partial?}) -> ExtractedImage
 *   readGeoTiff(bytes, {filename})                                         -> GeoTiffInfo | null
 *   ocrImage(bytes, {languages?, rotation?, ...})                          -> OcrResult
 *   ocrRegions(ocrResult, maxChars = 1000)                                 -> OcrRegion[] (citable bbox regions)
 *   shutdownOcr()                                                          -> terminates the shared OCR worker
 *
 * Errors are CairnError: UNSUPPORTED_TYPE (not a raster we read, e.g. SVG),
 * EMPTY_FILE, TOO_LARGE (pixel bomb, refused from the header), PARSE_FAILED
 * (corrupt, truncated, looping TIFF), BAD_INPUT (OCR language not installed),
 * TIMEOUT (OCR overran).
 */

export type { ExtractedImage, Footprint, GeoPoint, ImageFormat, OcrLine, OcrRegion, OcrResult, OcrRotation, OcrWord } from './types.js';
export { readImage, type ReadImageOptions } from './image.js';
export { readGeoTiff, type GeoTiffInfo } from './geotiff.js';
export { ocrImage, ACCEPT_CONFIDENCE, DEFAULT_MAX_PIXELS, type OcrOptions } from './ocr.js';
export { shutdownOcr, installedLanguages, languageDataDir } from './ocr-engine.js';
export { ocrRegions } from './regions.js';
export { detectImageFormat, sniffImageFormat, IMAGE_MIME } from './detect.js';
export { exifDateToIso } from './exif.js';
export { proj4Definition } from './crs.js';

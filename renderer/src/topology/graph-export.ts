/**
 * "Export SVG" and "Export PNG": the SVG document from graph-svg.ts saved as a file, or drawn into a
 * canvas at twice its size and saved as PNG. The image is loaded from a data: URL because the
 * dashboard's Content-Security-Policy allows images only from 'self' and data:, and an SVG with no
 * external references keeps the canvas untainted, so toBlob works.
 */
import type { SvgDocument } from './graph-svg.js';

export function downloadSvg(document_: SvgDocument, fileName: string): void {
  save(new Blob([document_.svg], { type: 'image/svg+xml' }), fileName);
}

export async function downloadPng(document_: SvgDocument, fileName: string, scale = 2): Promise<void> {
  const image = new Image();
  image.decoding = 'async';
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(document_.svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(document_.width * scale);
  canvas.height = Math.ceil(document_.height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw a canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the PNG could not be encoded');
  save(blob, fileName);
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL can go a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** `meshdesk-topology-2026-11-27T04-05-00.svg` */
export function exportFileName(extension: 'svg' | 'png', now = new Date()): string {
  return `meshdesk-topology-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.${extension}`;
}

/**
 * Browser downloads of exported files: a Blob handed to an `<a download>` through a
 * `blob:` URL (nothing leaves the machine), and a chart's SVG rendered to PNG on a canvas.
 */

/** How long a download's blob: URL stays valid; revoking at once can cancel the download in some browsers. */
const REVOKE_AFTER_MS = 60_000;

/** Saves `data` as a file named `fileName`. */
export function downloadBlob(data: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(data);
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Saves text with a MIME type (UTF-8). */
export function downloadText(text: string, fileName: string, type: string): void {
  downloadBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName);
}

/**
 * Renders a standalone SVG document to a PNG of `width` × `height` CSS px at `scale` device
 * pixels per px, over an opaque `background` (a chart's SVG has none). The SVG goes through an
 * <img> from a blob: URL, which the page's CSP allows (img-src blob:).
 */
export async function svgToPng(
  svgText: string,
  width: number,
  height: number,
  background: string,
  scale = 2,
): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas');
    ctx.fillStyle = background || '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

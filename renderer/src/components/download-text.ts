/**
 * Saves text as a file from the page: a link to a blob URL, clicked. Works the same in a plain
 * browser (`meshdesk serve`) and in the app's window, where Electron shows its save dialog.
 */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL can go a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

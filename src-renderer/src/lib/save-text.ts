/** Hands text to the browser (or Electron's) download, under a file name the user can keep. */
export function saveText(text: string, mime: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returned; the page need not keep the blob.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

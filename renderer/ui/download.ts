/** Hands bytes or text to the browser as a file download (the desktop shell saves it where the user chooses). */
export function download(fileName: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download synchronously; the URL is not needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

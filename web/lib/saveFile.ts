/** Has the browser save <paramref name="content"/> as a file named <paramref name="name"/> (a download, no navigation). */
export function saveFile(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the address is freed a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The little of fontkit (PDFKit's own font engine) the PDF export uses: which characters a font can draw. */
declare module 'fontkit' {
  export type Font = { hasGlyphForCodePoint(codePoint: number): boolean };
  export function openSync(path: string): Font;
}

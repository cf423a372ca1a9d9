/** The slice of @nlpjs/lang-sl (CommonJS, no types) the analyser uses: its Slovenian stemmer. */
declare module '@nlpjs/lang-sl' {
  export class StemmerSl {
    /** The stem of one lower-case word. */
    stemWord(word: string): string;
  }
}

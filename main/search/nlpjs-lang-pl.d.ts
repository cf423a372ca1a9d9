/** The slice of @nlpjs/lang-pl (CommonJS, no types) the analyser uses: its Polish stemmer. */
declare module '@nlpjs/lang-pl' {
  export class StemmerPl {
    /** The stem of one lower-case word. */
    stemWord(word: string): string;
  }
}

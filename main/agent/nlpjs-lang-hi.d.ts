/** The slice of @nlpjs/lang-hi (CommonJS, no types) the composer uses: its Hindi stemmer. */
declare module '@nlpjs/lang-hi' {
  export class StemmerHi {
    /** The stem of one word. */
    stemWord(word: string): string;
  }
}

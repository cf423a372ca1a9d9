// Types for the two untyped CommonJS packages the ADS-B reader uses (fields as their READMEs and sources give them).
declare module 'mode-s-decoder' {
  export interface ModeSMessage {
    msgtype: number;
    msgbits: number;
    crcOk: boolean;
    icao: number;
    /** DF17/18 extended squitter type code. */
    metype: number | null;
    mesub: number | null;
    callsign: string;
    altitude: number | null;
    /** 0: feet, 1: metres. */
    unit: number | null;
    /** Nonzero for an odd CPR frame. */
    fflag: number | null;
    rawLatitude: number | null;
    rawLongitude: number | null;
    /** Knots and degrees, airborne velocity (type 19, subtypes 1-2). */
    speed: number | null;
    heading: number | null;
    headingIsValid: boolean | null;
    /** Airborne velocity (type 19, subtypes 1-2): direction bits and the raw fields (value + 1, as broadcast). */
    ewDir: number | null;
    ewVelocity: number | null;
    nsDir: number | null;
    nsVelocity: number | null;
  }
  class Decoder {
    static UNIT_FEET: number;
    static UNIT_METERS: number;
    constructor(opts?: { fixErrors?: boolean; aggressive?: boolean });
    parse(data: Uint8Array, crcOnly?: boolean): ModeSMessage;
  }
  export default Decoder;
}

declare module 'mode-s-aircraft-store/lib/cpr.js' {
  /** dump1090's global CPR decode of an even/odd pair; sets `lat`/`lng` when the pair is consistent, else leaves them. */
  export default function decodeCPR(aircraft: {
    _evenCprLat: number;
    _evenCprLng: number;
    _evenCprTime: number;
    _oddCprLat: number;
    _oddCprLng: number;
    _oddCprTime: number;
    lat?: number;
    lng?: number;
  }): void;
}

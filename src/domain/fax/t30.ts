/**
 * T.30 outcomes as the fax stack (spandsp 0.0.6, `t30.h`) reports them, and
 * what they mean for a fax report (spec 3.13). The `fax_error_code` of a
 * report is spandsp's phase E completion code, listed here with the name
 * spandsp gives it and a sentence a user can read; 0 is success.
 */

export interface T30Error {
  code: number;
  name: string;
  text: string;
}

/** spandsp's T30_ERR_* completion codes, in the order of its enum (the code is the index). */
const T30_ERRORS: ReadonlyArray<readonly [name: string, text: string]> = [
  ['OK', 'OK'],
  ['CEDTONE', 'the CED tone exceeded 5 s'],
  ['T0_EXPIRED', 'timed out waiting for initial communication'],
  ['T1_EXPIRED', 'timed out waiting for the first message'],
  ['T3_EXPIRED', 'timed out waiting for procedural interrupt'],
  ['HDLC_CARRIER', 'the HDLC carrier did not stop in a timely manner'],
  ['CANNOT_TRAIN', 'failed to train with any of the compatible modems'],
  ['OPER_INT_FAIL', 'operator intervention failed'],
  ['INCOMPATIBLE', 'far end is not compatible'],
  ['RX_INCAPABLE', 'far end is not able to receive'],
  ['TX_INCAPABLE', 'far end is not able to transmit'],
  ['NORESSUPPORT', 'far end cannot receive at the resolution of the image'],
  ['NOSIZESUPPORT', 'far end cannot receive at the size of image'],
  ['UNEXPECTED', 'unexpected message received'],
  ['TX_BADDCS', 'received bad response to DCS or training'],
  ['TX_BADPG', 'received a DCN from remote after sending a page'],
  ['TX_ECMPHD', 'invalid ECM response received from receiver'],
  ['TX_GOTDCN', 'received a DCN while waiting for a DIS'],
  ['TX_INVALRSP', 'invalid response after sending a page'],
  ['TX_NODIS', 'received other than DIS while waiting for DIS'],
  ['TX_PHBDEAD', 'received no response to DCS, training or TCF'],
  ['TX_PHDDEAD', 'no response after sending a page'],
  ['TX_T5EXP', 'timed out waiting for receiver ready (ECM mode)'],
  ['RX_ECMPHD', 'invalid ECM response received from transmitter'],
  ['RX_GOTDCS', 'DCS received while waiting for DTC'],
  ['RX_INVALCMD', 'unexpected command after page received'],
  ['RX_NOCARRIER', 'carrier lost during fax receive'],
  ['RX_NOEOL', 'timed out while waiting for EOL (end of line)'],
  ['RX_NOFAX', 'timed out while waiting for first line'],
  ['RX_T2EXPDCN', 'timer T2 expired while waiting for DCN'],
  ['RX_T2EXPD', 'timer T2 expired while waiting for phase D'],
  ['RX_T2EXPFAX', 'timer T2 expired while waiting for fax page'],
  ['RX_T2EXPMPS', 'timer T2 expired while waiting for next fax page'],
  ['RX_T2EXPRR', 'timer T2 expired while waiting for RR command'],
  ['RX_T2EXP', 'timer T2 expired while waiting for NSS, DCS or MCF'],
  ['RX_DCNWHY', 'unexpected DCN while waiting for DCS or DIS'],
  ['RX_DCNDATA', 'unexpected DCN while waiting for image data'],
  ['RX_DCNFAX', 'unexpected DCN while waiting for EOM, EOP or MPS'],
  ['RX_DCNPHD', 'unexpected DCN after EOM or MPS sequence'],
  ['RX_DCNRRD', 'unexpected DCN after RR/RNR sequence'],
  ['RX_DCNNORTN', 'unexpected DCN after requested retransmission'],
  ['FILEERROR', 'TIFF/F file cannot be opened'],
  ['NOPAGE', 'TIFF/F page not found'],
  ['BADTIFF', 'TIFF/F format is not compatible'],
  ['BADPAGE', 'TIFF/F page number tag missing'],
  ['BADTAG', 'incorrect values for TIFF/F tags'],
  ['BADTIFFHDR', 'bad TIFF/F header - incorrect values in fields'],
  ['NOMEM', 'cannot allocate memory for more pages'],
  ['RETRYDCN', 'disconnected after permitted retries'],
  ['CALLDROPPED', 'the call dropped prematurely'],
  ['NOPOLL', 'poll not accepted'],
  ['IDENT_UNACCEPTABLE', "far end's ident is not acceptable"],
  ['SUB_UNACCEPTABLE', "far end's sub-address is not acceptable"],
  ['SEP_UNACCEPTABLE', "far end's selective polling address is not acceptable"],
  ['PSA_UNACCEPTABLE', "far end's polled sub-address is not acceptable"],
  ['SID_UNACCEPTABLE', "far end's sender identification is not acceptable"],
  ['PWD_UNACCEPTABLE', "far end's password is not acceptable"],
  ['TSA_UNACCEPTABLE', "far end's transmitting subscriber internet address is not acceptable"],
  ['IRA_UNACCEPTABLE', "far end's internet routing address is not acceptable"],
  ['CIA_UNACCEPTABLE', "far end's calling subscriber internet address is not acceptable"],
  ['ISP_UNACCEPTABLE', "far end's internet selective polling address is not acceptable"],
  ['CSA_UNACCEPTABLE', "far end's called subscriber internet address is not acceptable"],
];

/** The codes the engine itself decides on. */
export const T30_ERR = {
  OK: 0,
  T0_EXPIRED: 2,
  T1_EXPIRED: 3,
  CANNOT_TRAIN: 6,
  TX_PHDDEAD: 21,
  RX_DCNDATA: 36,
  FILEERROR: 41,
  BADTIFF: 43,
  NOMEM: 47,
  CALLDROPPED: 49,
} as const;

/** Every completion code with its name and meaning (the table `fax_error_code` refers to). */
export function t30Errors(): T30Error[] {
  return T30_ERRORS.map(([name, text], code) => ({ code, name: `T30_ERR_${name}`, text }));
}

export function t30Error(code: number): T30Error {
  const e = T30_ERRORS[code];
  return e
    ? { code, name: `T30_ERR_${e[0]}`, text: e[1] }
    : { code, name: 'T30_ERR_UNKNOWN', text: `unknown T.30 completion code ${code}` };
}

/**
 * Whether a transmission that ended with `code` may succeed when tried
 * again: line and protocol failures may, a document the stack cannot read
 * (TIFF errors) never does.
 */
export function t30Retryable(code: number): boolean {
  if (code === T30_ERR.OK) return false;
  return code < T30_ERR.FILEERROR || code > T30_ERR.NOMEM;
}

/** The report status (spec 3.13) a finished T.30 session gives: `ok`, or `fail` with the code. */
export function t30ReportStatus(code: number): 'ok' | 'fail' {
  return code === T30_ERR.OK ? 'ok' : 'fail';
}

/** The adapter contract on the embedded SIP/RTP stack: real sockets on loopback, SIP phones as far ends. */
import { adapterContract } from './adapter-contract.js';
import { embeddedDriver } from './embedded-driver.js';

adapterContract('embedded (SIP/RTP on loopback)', embeddedDriver);

# callplane for docker-compose.yml: the API, media worker and embedded
# telephony (SIP/RTP) roles on Node 20. The CLI runs the TypeScript sources through tsx, a runtime
# dependency, so there is no build step and `npm ci --omit=dev` is enough.
FROM node:20-slim

# Media conversion (worker role): ffmpeg for audio, ghostscript for fax
# documents, espeak-ng for text to speech. The fax addon (native/spandsp,
# built by npm ci) links spandsp and libtiff and needs a C++ tool chain.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ghostscript espeak-ng \
      libspandsp-dev libtiff-dev g++ make python3 pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data

COPY package.json package-lock.json ./
COPY scripts/build-native.ts ./scripts/
COPY native ./native
# npm install is the fallback for a lock file made on a registry that lacks some
# platforms' optional packages (see scripts/setup.sh); it leaves the lock as is.
RUN (npm ci --omit=dev --no-audit --no-fund \
     || npm install --omit=dev --no-save --no-audit --no-fund) \
 && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# System prompts the telephony role plays (voice box, IVR, unlock codes).
COPY sounds ./sounds

# Object files (pictures, later faxes and recordings) live under DATA_DIR.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node

# HTTP; SIP over UDP and TCP; the RTP range docker-compose.yml publishes (RTP_PORTS).
EXPOSE 8080 5060/udp 5060/tcp 20000-20199/udp
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/callplane.js", "start"]

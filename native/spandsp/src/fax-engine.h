// One spandsp fax terminal (T.30 over G.711 audio modems, or over T.38 IFP
// packets) wrapped for Node. Thin on purpose: buffers in (audio samples, IFP
// packets, elapsed time), events out (phase B/D/E, IFP packets to send, log
// lines). Which pages, which ident, ECM on or off and what a result code
// means are decided in TypeScript (src/telephony/fax/).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include <tiffio.h>
#include <spandsp.h>
#include <spandsp/version.h>
}

struct FaxEvent {
  std::string type;  // "phase-b", "page", "phase-e", "document"
  int code;          // the T.30 frame code (B, D) or completion code (E)
  t30_stats_t stats;
  std::string remoteIdent;
};

class FaxEngine : public Napi::ObjectWrap<FaxEngine> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit FaxEngine(const Napi::CallbackInfo& info);
  ~FaxEngine() override;

  // spandsp callbacks (C linkage trampolines call these)
  void OnPhaseB(int code);
  void OnPhaseD(int code);
  void OnPhaseE(int code);
  void OnDocument(int code);
  void OnPacket(const uint8_t* buf, int len, int count);
  void OnLog(const char* text);

 private:
  Napi::Value RxAudio(const Napi::CallbackInfo& info);
  Napi::Value TxAudio(const Napi::CallbackInfo& info);
  Napi::Value RxIfp(const Napi::CallbackInfo& info);
  Napi::Value Advance(const Napi::CallbackInfo& info);
  Napi::Value TakeEvents(const Napi::CallbackInfo& info);
  Napi::Value TakePackets(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Terminate(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Active(const Napi::CallbackInfo& info);

  bool Usable(const Napi::CallbackInfo& info, bool wantT38);
  void Record(const char* type, int code);
  void Release();

  fax_state_t* fax_ = nullptr;
  t38_terminal_state_t* t38_ = nullptr;
  t30_state_t* t30_ = nullptr;
  bool log_ = false;
  bool finished_ = false;
  std::vector<FaxEvent> events_;
  std::vector<std::vector<uint8_t>> packets_;
  std::vector<int> packetCounts_;
  std::vector<std::string> logLines_;
  std::vector<int16_t> scratch_;
};

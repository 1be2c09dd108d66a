#include "fax-engine.h"

#include <cstring>

namespace {

// spandsp 0.0.6 log handlers take no user data: the engine running a call
// into spandsp is remembered here (Node calls the addon from one thread).
FaxEngine* g_current = nullptr;

struct Current {
  explicit Current(FaxEngine* e) { g_current = e; }
  ~Current() { g_current = nullptr; }
};

int PhaseB(t30_state_t*, void* user, int code) {
  static_cast<FaxEngine*>(user)->OnPhaseB(code);
  return T30_ERR_OK;
}

int PhaseD(t30_state_t*, void* user, int code) {
  static_cast<FaxEngine*>(user)->OnPhaseD(code);
  return T30_ERR_OK;
}

void PhaseE(t30_state_t*, void* user, int code) { static_cast<FaxEngine*>(user)->OnPhaseE(code); }

int Document(t30_state_t*, void* user, int code) {
  static_cast<FaxEngine*>(user)->OnDocument(code);
  // One document per call: no EOM, no further document.
  return 0;
}

int Packet(t38_core_state_t*, void* user, const uint8_t* buf, int len, int count) {
  static_cast<FaxEngine*>(user)->OnPacket(buf, len, count);
  return 0;
}

void LogMessage(int, const char* text) {
  if (g_current != nullptr) g_current->OnLog(text);
}

std::string StringOption(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

int IntOption(const Napi::Object& o, const char* key, int fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : fallback;
}

bool BoolOption(const Napi::Object& o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : fallback;
}

Napi::Object StatsObject(Napi::Env env, const t30_stats_t& s, const std::string& remoteIdent) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("bitRate", s.bit_rate);
  o.Set("ecm", s.error_correcting_mode != 0);
  o.Set("pagesTx", s.pages_tx);
  o.Set("pagesRx", s.pages_rx);
  o.Set("pagesInFile", s.pages_in_file);
  o.Set("xResolution", s.x_resolution);
  o.Set("yResolution", s.y_resolution);
  o.Set("width", s.width);
  o.Set("length", s.length);
  o.Set("imageSize", s.image_size);
  o.Set("encoding", s.encoding);
  o.Set("badRows", s.bad_rows);
  o.Set("longestBadRowRun", s.longest_bad_row_run);
  o.Set("ecmRetries", s.error_correcting_mode_retries);
  o.Set("currentStatus", s.current_status);
  o.Set("remoteIdent", remoteIdent);
  return o;
}

}  // namespace

Napi::Function FaxEngine::Define(Napi::Env env) {
  // libtiff and spandsp print their complaints to stderr by default; the
  // outcome reaches TypeScript as a T.30 completion code instead.
  TIFFSetErrorHandler(nullptr);
  TIFFSetWarningHandler(nullptr);
  span_set_message_handler(LogMessage);
  span_set_error_handler([](const char* text) { LogMessage(0, text); });
  return DefineClass(env, "FaxEngine",
                     {
                         InstanceMethod("rxAudio", &FaxEngine::RxAudio),
                         InstanceMethod("txAudio", &FaxEngine::TxAudio),
                         InstanceMethod("rxIfp", &FaxEngine::RxIfp),
                         InstanceMethod("advance", &FaxEngine::Advance),
                         InstanceMethod("takeEvents", &FaxEngine::TakeEvents),
                         InstanceMethod("takePackets", &FaxEngine::TakePackets),
                         InstanceMethod("stats", &FaxEngine::Stats),
                         InstanceMethod("terminate", &FaxEngine::Terminate),
                         InstanceMethod("close", &FaxEngine::Close),
                         InstanceMethod("active", &FaxEngine::Active),
                     });
}

// new FaxEngine({ transport: 'audio' | 't38', calling, ident, headerInfo,
//   ecm, modems, compressions, txFile, startPage, stopPage, rxFile, log,
//   t38Version, maxDatagram, rateManagement, fillBitRemoval, pacing })
FaxEngine::FaxEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FaxEngine>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "FaxEngine: options object expected").ThrowAsJavaScriptException();
    return;
  }
  Napi::Object o = info[0].As<Napi::Object>();
  std::string transport = StringOption(o, "transport");
  bool calling = BoolOption(o, "calling", false);
  log_ = BoolOption(o, "log", false);
  Current current(this);
  if (transport == "audio") {
    fax_ = fax_init(nullptr, calling ? 1 : 0);
    if (fax_ == nullptr) {
      Napi::Error::New(env, "fax_init failed").ThrowAsJavaScriptException();
      return;
    }
    // RTP needs a frame every 20 ms, silence included.
    fax_set_transmit_on_idle(fax_, 1);
    fax_set_tep_mode(fax_, 0);
    t30_ = fax_get_t30_state(fax_);
    logging_state_t* l = fax_get_logging_state(fax_);
    span_log_set_level(l, log_ ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_FLOW : 0);
  } else if (transport == "t38") {
    t38_ = t38_terminal_init(nullptr, calling ? 1 : 0, Packet, this);
    if (t38_ == nullptr) {
      Napi::Error::New(env, "t38_terminal_init failed").ThrowAsJavaScriptException();
      return;
    }
    t38_core_state_t* core = t38_terminal_get_t38_core_state(t38_);
    t38_set_t38_version(core, IntOption(o, "t38Version", 0));
    t38_set_max_datagram_size(core, IntOption(o, "maxDatagram", 400));
    t38_set_data_rate_management_method(core, IntOption(o, "rateManagement", T38_DATA_RATE_MANAGEMENT_TRANSFERRED_TCF));
    t38_set_fill_bit_removal(core, BoolOption(o, "fillBitRemoval", false) ? 1 : 0);
    t38_terminal_set_config(t38_, BoolOption(o, "pacing", true) ? 0 : T38_TERMINAL_OPTION_NO_PACING);
    t38_terminal_set_tep_mode(t38_, 0);
    t30_ = t38_terminal_get_t30_state(t38_);
    span_log_set_level(t38_terminal_get_logging_state(t38_),
                       log_ ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_FLOW : 0);
  } else {
    Napi::TypeError::New(env, "FaxEngine: transport must be 'audio' or 't38'").ThrowAsJavaScriptException();
    return;
  }
  span_log_set_level(t30_get_logging_state(t30_),
                     log_ ? SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_FLOW : 0);

  std::string ident = StringOption(o, "ident");
  if (!ident.empty()) t30_set_tx_ident(t30_, ident.substr(0, T30_MAX_IDENT_LEN).c_str());
  std::string header = StringOption(o, "headerInfo");
  if (!header.empty()) t30_set_tx_page_header_info(t30_, header.substr(0, T30_MAX_PAGE_HEADER_INFO).c_str());
  t30_set_ecm_capability(t30_, BoolOption(o, "ecm", true) ? 1 : 0);
  t30_set_supported_modems(t30_, IntOption(o, "modems", T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17));
  t30_set_supported_compressions(
      t30_, IntOption(o, "compressions",
                      T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION));
  t30_set_supported_image_sizes(t30_, T30_SUPPORT_US_LETTER_LENGTH | T30_SUPPORT_US_LEGAL_LENGTH |
                                          T30_SUPPORT_UNLIMITED_LENGTH | T30_SUPPORT_215MM_WIDTH |
                                          T30_SUPPORT_255MM_WIDTH | T30_SUPPORT_303MM_WIDTH);
  t30_set_supported_resolutions(t30_, T30_SUPPORT_STANDARD_RESOLUTION | T30_SUPPORT_FINE_RESOLUTION |
                                          T30_SUPPORT_SUPERFINE_RESOLUTION | T30_SUPPORT_R8_RESOLUTION |
                                          T30_SUPPORT_R16_RESOLUTION);
  std::string txFile = StringOption(o, "txFile");
  if (!txFile.empty()) {
    t30_set_tx_file(t30_, txFile.c_str(), IntOption(o, "startPage", -1), IntOption(o, "stopPage", -1));
  }
  std::string rxFile = StringOption(o, "rxFile");
  if (!rxFile.empty()) t30_set_rx_file(t30_, rxFile.c_str(), -1);
  t30_set_phase_b_handler(t30_, PhaseB, this);
  t30_set_phase_d_handler(t30_, PhaseD, this);
  t30_set_phase_e_handler(t30_, PhaseE, this);
  t30_set_document_handler(t30_, Document, this);
}

FaxEngine::~FaxEngine() { Release(); }

void FaxEngine::Release() {
  Current current(this);
  if (fax_ != nullptr) {
    fax_free(fax_);
    fax_ = nullptr;
  }
  if (t38_ != nullptr) {
    t38_terminal_free(t38_);
    t38_ = nullptr;
  }
  t30_ = nullptr;
}

void FaxEngine::Record(const char* type, int code) {
  FaxEvent e;
  e.type = type;
  e.code = code;
  std::memset(&e.stats, 0, sizeof e.stats);
  if (t30_ != nullptr) {
    t30_get_transfer_statistics(t30_, &e.stats);
    const char* ident = t30_get_rx_ident(t30_);
    if (ident != nullptr) e.remoteIdent = ident;
  }
  events_.push_back(std::move(e));
}

void FaxEngine::OnPhaseB(int code) { Record("phase-b", code); }
void FaxEngine::OnPhaseD(int code) { Record("page", code); }
void FaxEngine::OnPhaseE(int code) {
  finished_ = true;
  Record("phase-e", code);
}
void FaxEngine::OnDocument(int code) { Record("document", code); }

void FaxEngine::OnPacket(const uint8_t* buf, int len, int count) {
  if (len <= 0) return;
  packets_.emplace_back(buf, buf + len);
  packetCounts_.push_back(count);
}

void FaxEngine::OnLog(const char* text) {
  if (log_ && logLines_.size() < 100000) logLines_.emplace_back(text);
}

bool FaxEngine::Usable(const Napi::CallbackInfo& info, bool wantT38) {
  if (t30_ == nullptr) {
    Napi::Error::New(info.Env(), "FaxEngine is closed").ThrowAsJavaScriptException();
    return false;
  }
  if (wantT38 ? t38_ == nullptr : fax_ == nullptr) {
    Napi::Error::New(info.Env(), wantT38 ? "not a T.38 engine" : "not an audio engine").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// rxAudio(samples: Int16Array): the line's audio into the modems.
Napi::Value FaxEngine::RxAudio(const Napi::CallbackInfo& info) {
  if (!Usable(info, false)) return info.Env().Undefined();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
    Napi::TypeError::New(info.Env(), "rxAudio: Int16Array expected").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Int16Array in = info[0].As<Napi::Int16Array>();
  // fax_rx takes a non-const pointer; hand it a copy, never the caller's buffer.
  scratch_.assign(in.Data(), in.Data() + in.ElementLength());
  Current current(this);
  if (!scratch_.empty()) fax_rx(fax_, scratch_.data(), static_cast<int>(scratch_.size()));
  return info.Env().Undefined();
}

// txAudio(out: Int16Array): fills `out` with the modems' audio; returns the samples written.
Napi::Value FaxEngine::TxAudio(const Napi::CallbackInfo& info) {
  if (!Usable(info, false)) return info.Env().Undefined();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
    Napi::TypeError::New(info.Env(), "txAudio: Int16Array expected").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Int16Array out = info[0].As<Napi::Int16Array>();
  Current current(this);
  int n = out.ElementLength() > 0 ? fax_tx(fax_, out.Data(), static_cast<int>(out.ElementLength())) : 0;
  return Napi::Number::New(info.Env(), n);
}

// rxIfp(packet: Uint8Array, seq: number): one received IFP packet (T.38 §7)
// with its UDPTL sequence number. Returns spandsp's verdict (< 0: rejected).
Napi::Value FaxEngine::RxIfp(const Napi::CallbackInfo& info) {
  if (!Usable(info, true)) return info.Env().Undefined();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsNumber() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(info.Env(), "rxIfp: (Uint8Array, seq) expected").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Uint8Array packet = info[0].As<Napi::Uint8Array>();
  uint16_t seq = static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value() & 0xFFFF);
  if (packet.ElementLength() == 0 || packet.ElementLength() > 65535) return Napi::Number::New(info.Env(), -1);
  Current current(this);
  int r = t38_core_rx_ifp_packet(t38_terminal_get_t38_core_state(t38_), packet.Data(),
                                 static_cast<int>(packet.ElementLength()), seq);
  return Napi::Number::New(info.Env(), r);
}

// advance(samples): T.38 time passes (8000 samples a second); packets due are queued.
Napi::Value FaxEngine::Advance(const Napi::CallbackInfo& info) {
  if (!Usable(info, true)) return info.Env().Undefined();
  int samples = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 160;
  if (samples <= 0) samples = 160;
  Current current(this);
  int done = t38_terminal_send_timeout(t38_, samples);
  return Napi::Boolean::New(info.Env(), done != 0);
}

Napi::Value FaxEngine::TakeEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, events_.size() + (logLines_.empty() ? 0 : 1));
  uint32_t i = 0;
  for (const FaxEvent& e : events_) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", e.type);
    o.Set("code", e.code);
    o.Set("stats", StatsObject(env, e.stats, e.remoteIdent));
    out.Set(i++, o);
  }
  if (!logLines_.empty()) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", "log");
    Napi::Array lines = Napi::Array::New(env, logLines_.size());
    for (uint32_t j = 0; j < logLines_.size(); j++) lines.Set(j, logLines_[j]);
    o.Set("lines", lines);
    out.Set(i++, o);
  }
  events_.clear();
  logLines_.clear();
  return out;
}

// takePackets(): the IFP packets spandsp sent since the last call, each with
// the number of times spandsp would repeat it on a transport without
// redundancy (T.38 §9.1; UDPTL redundancy replaces the repeats).
Napi::Value FaxEngine::TakePackets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, packets_.size());
  for (uint32_t i = 0; i < packets_.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("ifp", Napi::Buffer<uint8_t>::Copy(env, packets_[i].data(), packets_[i].size()));
    o.Set("count", packetCounts_[i]);
    out.Set(i, o);
  }
  packets_.clear();
  packetCounts_.clear();
  return out;
}

Napi::Value FaxEngine::Stats(const Napi::CallbackInfo& info) {
  if (t30_ == nullptr) return info.Env().Null();
  t30_stats_t s;
  std::memset(&s, 0, sizeof s);
  t30_get_transfer_statistics(t30_, &s);
  const char* ident = t30_get_rx_ident(t30_);
  return StatsObject(info.Env(), s, ident != nullptr ? ident : "");
}

// terminate(): the call ended (hang-up): T.30 ends now, phase E reports how far it got.
Napi::Value FaxEngine::Terminate(const Napi::CallbackInfo& info) {
  if (t30_ != nullptr && !finished_) {
    Current current(this);
    t30_terminate(t30_);
  }
  return info.Env().Undefined();
}

Napi::Value FaxEngine::Active(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), t30_ != nullptr && !finished_);
}

Napi::Value FaxEngine::Close(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

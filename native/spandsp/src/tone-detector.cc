#include "tone-detector.h"

#include <vector>

namespace {

void Report(void* user, int code, int, int) { static_cast<ToneDetector*>(user)->OnTone(code); }

}  // namespace

Napi::Function ToneDetector::Define(Napi::Env env) {
  return DefineClass(env, "ToneDetector",
                     {InstanceMethod("rx", &ToneDetector::Rx), InstanceMethod("close", &ToneDetector::Close)});
}

// new ToneDetector('cng' | 'ced'): 'ced' listens for CED or the V.21 preamble.
ToneDetector::ToneDetector(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ToneDetector>(info) {
  std::string kind = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  int type;
  if (kind == "cng") {
    type = MODEM_CONNECT_TONES_FAX_CNG;
  } else if (kind == "ced") {
    type = MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE;
  } else {
    Napi::TypeError::New(info.Env(), "ToneDetector: 'cng' or 'ced' expected").ThrowAsJavaScriptException();
    return;
  }
  rx_ = modem_connect_tones_rx_init(nullptr, type, Report, this);
}

ToneDetector::~ToneDetector() {
  if (rx_ != nullptr) modem_connect_tones_rx_free(rx_);
}

void ToneDetector::OnTone(int code) {
  if (code != MODEM_CONNECT_TONES_NONE && detected_ == 0) detected_ = code;
}

// rx(samples: Int16Array): the spandsp tone code once one was detected (1 CNG,
// 2 CED/ANS, 6 V.21 preamble), else 0.
Napi::Value ToneDetector::Rx(const Napi::CallbackInfo& info) {
  if (rx_ == nullptr) return Napi::Number::New(info.Env(), detected_);
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
    Napi::TypeError::New(info.Env(), "rx: Int16Array expected").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Int16Array in = info[0].As<Napi::Int16Array>();
  if (in.ElementLength() > 0) modem_connect_tones_rx(rx_, in.Data(), static_cast<int>(in.ElementLength()));
  return Napi::Number::New(info.Env(), detected_);
}

Napi::Value ToneDetector::Close(const Napi::CallbackInfo& info) {
  if (rx_ != nullptr) {
    modem_connect_tones_rx_free(rx_);
    rx_ = nullptr;
  }
  return info.Env().Undefined();
}

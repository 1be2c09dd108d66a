// Fax tone detection on line audio (spandsp modem_connect_tones_rx): CNG
// (1100 Hz bursts, T.30 §4.1.2) from a calling fax, CED (2100 Hz) or the V.21
// preamble from an answering one. Lets a call decide that a fax is on the line.
#pragma once

#include <napi.h>

extern "C" {
#include <tiffio.h>
#include <spandsp.h>
}

class ToneDetector : public Napi::ObjectWrap<ToneDetector> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ToneDetector(const Napi::CallbackInfo& info);
  ~ToneDetector() override;
  void OnTone(int code);

 private:
  Napi::Value Rx(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  modem_connect_tones_rx_state_t* rx_ = nullptr;
  int detected_ = 0;
};

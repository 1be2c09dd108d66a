// The spandsp addon of callplane: exports FaxEngine (fax-engine.h),
// ToneDetector (tone-detector.h) and the
// T.30 constants the TypeScript side decides with.
#include "fax-engine.h"
#include "tone-detector.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("FaxEngine", FaxEngine::Define(env));
  exports.Set("ToneDetector", ToneDetector::Define(env));
  Napi::Object modems = Napi::Object::New(env);
  modems.Set("V27TER", static_cast<int>(T30_SUPPORT_V27TER));
  modems.Set("V29", static_cast<int>(T30_SUPPORT_V29));
  modems.Set("V17", static_cast<int>(T30_SUPPORT_V17));
  exports.Set("modems", modems);
  Napi::Object compressions = Napi::Object::New(env);
  compressions.Set("T4_1D", static_cast<int>(T30_SUPPORT_T4_1D_COMPRESSION));
  compressions.Set("T4_2D", static_cast<int>(T30_SUPPORT_T4_2D_COMPRESSION));
  compressions.Set("T6", static_cast<int>(T30_SUPPORT_T6_COMPRESSION));
  exports.Set("compressions", compressions);
  exports.Set("spandspRelease", SPANDSP_RELEASE_DATETIME_STRING);
  return exports;
}

}  // namespace

NODE_API_MODULE(callplane_spandsp, Init)

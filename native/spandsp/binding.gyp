{
  "targets": [
    {
      "target_name": "callplane_spandsp",
      "sources": ["src/addon.cc", "src/fax-engine.cc", "src/tone-detector.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["<!@(pkg-config --libs spandsp libtiff-4)"],
      "cflags": ["<!@(pkg-config --cflags spandsp libtiff-4)"]
    }
  ]
}

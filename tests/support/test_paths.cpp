// The paths come from CMake as definitions of this file alone (test_paths.hpp says why).
#include "test_paths.hpp"

namespace fulfil::test::paths {

const char* fulfild() {
  return FULFIL_PATH_FULFILD;
}
const char* top_sim() {
  return FULFIL_PATH_TOP_SIM;
}
const char* sf_sim() {
  return FULFIL_PATH_SF_SIM;
}
const char* service_peer() {
  return FULFIL_PATH_SERVICE_PEER;
}
const char* review_worker() {
  return FULFIL_PATH_REVIEW_WORKER;
}
const char* fiu_open64_preload() {
  return FULFIL_PATH_FIU_OPEN64;
}
const char* source_dir() {
  return FULFIL_PATH_SOURCE_DIR;
}

}  // namespace fulfil::test::paths

// The paths come from CMake as definitions of this file alone (test_paths.hpp says why).
#include "test_paths.hpp"

namespace fulfil::test::paths {

const char* const fulfild = FULFIL_PATH_FULFILD;
const char* const top_sim = FULFIL_PATH_TOP_SIM;
const char* const sf_sim = FULFIL_PATH_SF_SIM;
const char* const service_peer = FULFIL_PATH_SERVICE_PEER;
const char* const review_worker = FULFIL_PATH_REVIEW_WORKER;
const char* const fiu_open64_preload = FULFIL_PATH_FIU_OPEN64;
const char* const source_dir = FULFIL_PATH_SOURCE_DIR;

}  // namespace fulfil::test::paths

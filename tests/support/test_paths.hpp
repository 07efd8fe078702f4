#pragma once
// Where the programs under test and the sources are. The absolute paths are compiled into
// one object only (test_paths.cpp): a compile command holding a path would make ccache miss
// for that file in every other clone folder, and these were on ninety-odd test files.
namespace fulfil::test::paths {

extern const char* const fulfild;
extern const char* const top_sim;
extern const char* const sf_sim;
extern const char* const service_peer;
extern const char* const review_worker;
extern const char* const fiu_open64_preload;
extern const char* const source_dir;

}  // namespace fulfil::test::paths

#define FULFILD_BINARY (::fulfil::test::paths::fulfild)
#define TOP_SIM_BINARY (::fulfil::test::paths::top_sim)
#define SF_SIM_BINARY (::fulfil::test::paths::sf_sim)
#define SERVICE_PEER_BINARY (::fulfil::test::paths::service_peer)
#define REVIEW_WORKER_BINARY (::fulfil::test::paths::review_worker)
#define FIU_OPEN64_PRELOAD (::fulfil::test::paths::fiu_open64_preload)
#define FULFIL_SOURCE_DIR (::fulfil::test::paths::source_dir)

#include "app.hpp"

int main(int argc, char** argv) {
  return fulfil::daemon::run_main(argc, argv);
}

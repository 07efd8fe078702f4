// Debian 12 ships Boost.JSON and Boost.URL as headers only: compile them once, here.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>

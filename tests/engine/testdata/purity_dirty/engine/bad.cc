// Every line below but the first two must be reported (one forbidden form each).
#include <cstdlib>
int a = rand();
void b() { srand(1); }
int c = std::rand ();
const char* d = getenv("HOME");
const char* e = std::getenv("HOME");
long f = time(nullptr);
long g = std::time(NULL);
std::random_device h;
auto i = std::chrono::steady_clock::now();
auto j = std::chrono::high_resolution_clock::now();
using K = std::chrono::system_clock;
auto l = std::chrono::utc_clock::now();

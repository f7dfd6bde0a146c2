// jemalloc's options for fleetsim's programs (read by jemalloc at start-up; MALLOC_CONF in the
// environment still overrides them). A fleet-scale run keeps a heap of a gigabyte or more and
// touches it at random (each refresh reads one Application's state, its memo and its live set);
// transparent huge pages, for the heap and jemalloc's own metadata, spare most of the TLB misses
// that cost (about 15% of the user time of a 10,000-Application day). Compiled into each program
// that links jemalloc (the fleetsim_malloc target).
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,metadata_thp:always";
}

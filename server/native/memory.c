/*
 * glibc's malloc keeps one arena per thread that allocates at once, up to eight per core, and memory
 * freed in one is not reused by another: a million-row import (the main thread, the command's own
 * thread, V8's helper threads, two database writes in flight) ends with a hundred megabytes held in
 * arenas and not in use. MALLOC_ARENA_MAX=2 fixes that, but only from the environment of a process not
 * started yet; mallopt() does the same from inside, for every arena made after the call.
 */
#include <node_api.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static napi_value LimitArenas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int32_t arenas = 0;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, args[0], &arenas) != napi_ok || arenas < 1) {
    napi_throw_type_error(env, NULL, "limitArenas(count) takes a positive whole number");
    return NULL;
  }
  bool applied = false;
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
  applied = mallopt(M_ARENA_MAX, arenas) == 1;
#endif
  napi_value result;
  napi_get_boolean(env, applied, &result);
  return result;
}

/*
 * Memory freed inside an arena stays resident until glibc is asked for it back: between two batches of
 * an import, tens of megabytes of the main arena are free but still counted. malloc_trim(0) returns
 * every free page of every arena to the system. Returns whether any was returned.
 */
static napi_value Trim(napi_env env, napi_callback_info info) {
  bool released = false;
#ifdef __GLIBC__
  released = malloc_trim(0) == 1;
#endif
  napi_value result;
  napi_get_boolean(env, released, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value trim;
  napi_create_function(env, "trim", NAPI_AUTO_LENGTH, Trim, NULL, &trim);
  napi_set_named_property(env, exports, "trim", trim);
  napi_value fn;
  napi_create_function(env, "limitArenas", NAPI_AUTO_LENGTH, LimitArenas, NULL, &fn);
  napi_set_named_property(env, exports, "limitArenas", fn);
  return exports;
}

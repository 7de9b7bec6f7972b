/*
 * crypt(3) for Node: the system's own SHA-512 crypt and bcrypt (libxcrypt), several times faster
 * than JavaScript. Reentrant (crypt_r with a per-call buffer), so worker threads may call it at once.
 */
#include <crypt.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 1024

static napi_value Crypt(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  char phrase[MAX_INPUT + 1];
  char setting[CRYPT_OUTPUT_SIZE];
  size_t phrase_length = 0, setting_length = 0;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 2 || napi_get_value_string_utf8(env, args[0], phrase, sizeof phrase, &phrase_length) != napi_ok ||
      napi_get_value_string_utf8(env, args[1], setting, sizeof setting, &setting_length) != napi_ok) {
    napi_throw_type_error(env, NULL, "crypt(phrase, setting) takes two strings");
    return NULL;
  }
  if (phrase_length >= MAX_INPUT) {
    napi_throw_range_error(env, NULL, "passphrase too long");
    return NULL;
  }
  struct crypt_data *data = calloc(1, sizeof(struct crypt_data));
  if (!data) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  char *hash = crypt_r(phrase, setting, data);
  napi_value result = NULL;
  if (!hash || hash[0] == '*') {
    napi_throw_error(env, NULL, "crypt(3) refused the setting");
  } else {
    napi_create_string_utf8(env, hash, NAPI_AUTO_LENGTH, &result);
  }
  /* No copy of the passphrase stays behind in memory. */
  explicit_bzero(phrase, sizeof phrase);
  explicit_bzero(data, sizeof *data);
  free(data);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "crypt", NAPI_AUTO_LENGTH, Crypt, NULL, &fn);
  napi_set_named_property(env, exports, "crypt", fn);
  return exports;
}

{
  "targets": [
    {
      "target_name": "crypt",
      "sources": ["crypt.c"],
      "libraries": ["-lcrypt"],
      "cflags": ["-O2"]
    },
    {
      "target_name": "memory",
      "sources": ["memory.c"],
      "cflags": ["-O2"]
    }
  ]
}

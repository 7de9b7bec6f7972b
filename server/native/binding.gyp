{
  "targets": [
    {
      "target_name": "crypt",
      "sources": ["crypt.c"],
      "libraries": ["-lcrypt"],
      "cflags": ["-O2"]
    }
  ]
}

-- ./soi query: no file is read or written from here on except under allowed_directories (no COPY TO, ATTACH, read_csv('/etc/passwd')).
SET enable_external_access = false

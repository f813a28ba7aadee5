#ifndef PARAPET_CSQLITETUNING_H
#define PARAPET_CSQLITETUNING_H

/// Turns off SQLite's memory statistics for the whole process (SQLITE_CONFIG_MEMSTATUS = 0):
/// every allocation SQLite makes otherwise takes a global mutex to count it. Takes effect only
/// before SQLite is first initialised (the first connection opened); returns SQLite's result code
/// (SQLITE_OK, or SQLITE_MISUSE once SQLite is initialised, which changes nothing).
/// `sqlite3_config` is variadic, which Swift cannot call: this is the one C function Parapet has.
int parapet_sqlite_disable_memstatus(void);

#endif

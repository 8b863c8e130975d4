/* json.h — the little JSON that volspawn writes: strings, escaped. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Write s to f as a JSON string, quotes included: '"' and '\' escaped,
 * control characters as \uXXXX, every other byte as it is. */
void json_write_string(FILE *f, const char *s);

/* Whether s is well-formed UTF-8 (no overlongs, surrogates or code points
 * past U+10FFFF): systemd's JSON parser refuses a record holding anything else. */
bool json_utf8_valid(const char *s);

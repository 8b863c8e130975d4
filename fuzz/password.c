/* password — line editing of a password typed without echo
 * (password.c): the first five bytes are the terminal's VINTR, VQUIT,
 * VERASE, VKILL and VEOF keys, the rest is typed. What was erased must be
 * wiped, and the line must be the C string password_free wipes whole. */
#include "fuzz.h"
#include "creds/password.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int keys[] = { VINTR, VQUIT, VERASE, VKILL, VEOF };
	struct termios t = { 0 };
	char buf[PASSWORD_MAX + 1] = { 0 };
	struct password_line l = { .buf = buf };
	int r = 0;

	if (size < 5)
		return 0;
	for (size_t i = 0; i < 5; i++)
		t.c_cc[keys[i]] = data[i];
	for (size_t i = 5; i < size && r == 0; i++) {
		size_t before = l.len;
		r = password_edit(&t, data[i], &l);
		CHECK(r == 0 || r == 1 || r == -ECANCELED);
		CHECK(l.len <= PASSWORD_MAX && l.len <= before + 1);
		/* nothing past the line: erased bytes are gone */
		for (size_t j = l.len; j <= before; j++)
			CHECK(buf[j] == '\0');
		CHECK(l.len == 0 || buf[l.len - 1] != '\0');
	}
	for (size_t j = l.len; j < sizeof buf; j++)
		CHECK(buf[j] == '\0');
	CHECK(strlen(buf) == l.len);
	if (r == 1)
		CHECK(!memchr(buf, '\n', l.len) && !memchr(buf, '\r', l.len));
	return 0;
}

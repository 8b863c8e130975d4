/* modes.c — each --volatile mode's consequences, in one table. */
#include "cli/modes.h"

#include <stddef.h>

static const struct volatile_traits traits[] = {
/*	                     idmapped    read-only servable merged_usr host_root root */
	[VOLATILE_YES]     = { "usr",     true,     true,    true,      true,     ""      },
	[VOLATILE_STATE]   = { "",        true,     true,    false,     true,     ""      },
	/* a tmpfs over the tree: writable, and thrown away */
	[VOLATILE_OVERLAY] = { NULL,      false,    true,    false,     false,    "/root" },
	/* the tree itself, writable: served, it would be read-only */
	[VOLATILE_NO]      = { "",        false,    false,   false,     false,    ""      },
};

const struct volatile_traits *volatile_traits(enum volatile_mode m)
{
	return &traits[m];
}

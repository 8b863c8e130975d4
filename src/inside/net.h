/* net.h — the private network: loopback only. */
#pragma once

/* Bring up "lo" in the current network namespace. */
int net_loopback_up(void);

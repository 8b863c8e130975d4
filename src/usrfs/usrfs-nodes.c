/* usrfs-nodes.c — the node table of the ownership view: a hash of nodes by
 * host (dev, ino); the node's address is its FUSE id, as the kernel never
 * uses an id after forgetting it. */
#include "usrfs/usrfs-nodes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t bucket(const struct usrfs_nodes *t, dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev;
	return (size_t)(h ^ h >> 29) & (t->n_buckets - 1);
}

int usrfs_nodes_init(struct usrfs_nodes *t, const struct stat *root)
{
	*t = (struct usrfs_nodes){ .n_buckets = 1024 };
	t->buckets = calloc(t->n_buckets, sizeof *t->buckets);
	t->root = (struct usrfs_node){ .id = USRFS_ROOT_ID, .dev = root->st_dev, .ino = root->st_ino, .nlookup = 1,
				       .attr = *root, .path = strdup("."), .wd = WD_NONE };
	if (!t->buckets || !t->root.path)
		return -ENOMEM;
	return -pthread_mutex_init(&t->lock, NULL);
}

void usrfs_nodes_free(struct usrfs_nodes *t)
{
	for (size_t i = 0; t->buckets && i < t->n_buckets; i++)
		for (struct usrfs_node *n = t->buckets[i], *next; n; n = next) {
			next = n->next;
			free(n->path);
			free(n);
		}
	free(t->buckets);
	free(t->by_wd);
	free(t->root.path);
	pthread_mutex_destroy(&t->lock);
}

struct usrfs_node *usrfs_node_of(struct usrfs_nodes *t, uint64_t id)
{
	return id == USRFS_ROOT_ID ? &t->root : (struct usrfs_node *)(uintptr_t)id;
}

int usrfs_node_path(struct usrfs_nodes *t, uint64_t id, const char *name, char *buf, size_t size, struct usrfs_ident *who)
{
	pthread_mutex_lock(&t->lock);
	struct usrfs_node *n = usrfs_node_of(t, id);
	int len = !name ? snprintf(buf, size, "%s", n->path)
		  : n == &t->root ? snprintf(buf, size, "%s", name)
		  : snprintf(buf, size, "%s/%s", n->path, name);
	if (who)
		*who = (struct usrfs_ident){ .attr = n->attr, .wd = n->wd };
	pthread_mutex_unlock(&t->lock);
	return len < 0 || (size_t)len >= size ? -ENAMETOOLONG : 0;
}

struct usrfs_node *usrfs_node_find(struct usrfs_nodes *t, dev_t dev, ino_t ino)
{
	if (dev == t->root.dev && ino == t->root.ino)
		return &t->root;
	struct usrfs_node *n = t->buckets[bucket(t, dev, ino)];
	while (n && (n->dev != dev || n->ino != ino))
		n = n->next;
	return n;
}

/* Twice the buckets when there are more nodes than buckets. */
static void grow(struct usrfs_nodes *t)
{
	size_t old = t->n_buckets;
	struct usrfs_node **b = calloc(old * 2, sizeof *b), **was = t->buckets;
	if (!b)
		return;   /* longer chains, still correct */
	t->buckets = b;
	t->n_buckets = old * 2;
	for (size_t i = 0; i < old; i++)
		for (struct usrfs_node *n = was[i], *next; n; n = next) {
			next = n->next;
			size_t k = bucket(t, n->dev, n->ino);
			n->next = b[k];
			b[k] = n;
		}
	free(was);
}

static struct usrfs_node *add(struct usrfs_nodes *t, const struct stat *st, const char *path)
{
	struct usrfs_node *n = calloc(1, sizeof *n);
	if (!n || !(n->path = strdup(path))) {
		free(n);
		return NULL;
	}
	n->id = (uint64_t)(uintptr_t)n;
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	n->wd = WD_NONE;
	if (++t->count > t->n_buckets)
		grow(t);
	size_t k = bucket(t, n->dev, n->ino);
	n->next = t->buckets[k];
	t->buckets[k] = n;
	return n;
}

uint64_t usrfs_node_ref(struct usrfs_nodes *t, const struct stat *st, const char *path)
{
	pthread_mutex_lock(&t->lock);
	struct usrfs_node *n = usrfs_node_find(t, st->st_dev, st->st_ino);
	if (!n)
		n = add(t, st, path);
	else if (n != &t->root && strcmp(n->path, path)) {
		/* a hard link, or the file moved: the newest name is the one
		 * that still works */
		char *p = strdup(path);
		if (p) {
			free(n->path);
			n->path = p;
		}
	}
	uint64_t id = 0;
	if (n) {
		n->nlookup++;
		n->attr = *st;
		id = n->id;
	}
	pthread_mutex_unlock(&t->lock);
	return id;
}

void usrfs_node_seen(struct usrfs_nodes *t, uint64_t id, const struct stat *st)
{
	pthread_mutex_lock(&t->lock);
	usrfs_node_of(t, id)->attr = *st;
	pthread_mutex_unlock(&t->lock);
}

int usrfs_node_forget(struct usrfs_nodes *t, uint64_t id, uint64_t count)
{
	int wd = -1;
	pthread_mutex_lock(&t->lock);
	struct usrfs_node *n = usrfs_node_of(t, id);
	if (n != &t->root) {
		n->nlookup = count < n->nlookup ? n->nlookup - count : 0;
		if (n->nlookup == 0) {
			struct usrfs_node **p = &t->buckets[bucket(t, n->dev, n->ino)];
			while (*p != n)
				p = &(*p)->next;
			*p = n->next;
			t->count--;
			wd = n->wd;
			if (wd >= 0 && (size_t)wd < t->n_wd)
				t->by_wd[wd] = NULL;
			free(n->path);
			free(n);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return wd;
}

int usrfs_node_set_watch(struct usrfs_nodes *t, uint64_t id, int wd)
{
	int r = 0;
	pthread_mutex_lock(&t->lock);
	if (wd < 0) {
		usrfs_node_of(t, id)->wd = WD_FAILED;
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	if ((size_t)wd >= t->n_wd) {
		size_t n = (size_t)wd * 2 + 64;
		struct usrfs_node **a = realloc(t->by_wd, n * sizeof *a);
		if (a) {
			memset(a + t->n_wd, 0, (n - t->n_wd) * sizeof *a);
			t->by_wd = a;
			t->n_wd = n;
		}
	}
	if ((size_t)wd < t->n_wd) {
		struct usrfs_node *n = usrfs_node_of(t, id);
		n->wd = wd;
		t->by_wd[wd] = n;
	} else
		r = -ENOMEM;
	pthread_mutex_unlock(&t->lock);
	return r;
}

uint64_t usrfs_node_by_watch(struct usrfs_nodes *t, int wd, char *buf, size_t size)
{
	uint64_t id = 0;
	pthread_mutex_lock(&t->lock);
	struct usrfs_node *n = wd >= 0 && (size_t)wd < t->n_wd ? t->by_wd[wd] : NULL;
	if (n && (size_t)snprintf(buf, size, "%s", n->path) < size)
		id = n->id;
	pthread_mutex_unlock(&t->lock);
	return id;
}

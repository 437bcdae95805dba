/*
 * request.c - construction and release of api_request values.
 *
 * A request is plain data (kind, method, path, body, routing fields); the
 * worker copies nothing out of it until it runs, and frees it with the job.
 */
#include <stdlib.h>

#include "api/internal.h"

struct api_request *api_request_new(enum api_kind kind, enum api_method method, char *path,
                                    char *body)
{
    struct api_request *req = api_xcalloc(1, sizeof *req);
    req->kind = kind;
    req->method = method;
    req->path = path;
    req->body = body;
    return req;
}

void api_request_free(struct api_request **req)
{
    if (!req || !*req)
        return;
    free((*req)->path);
    free((*req)->body);
    free(*req);
    *req = NULL;
}

/*
 * main.c - the composition root: command line, configuration, secrets,
 * the demo sandbox, the api worker, the keymap, and the event loop.
 *
 * It is the only file that knows every layer. The signal self-pipe lives
 * here because the handler needs a global to reach it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "keymaps/keymap.h"
#include "tui/app_priv.h"
#include "tui/batch.h"
#include "tui/keyref.h"
#include "tui/config.h"
#include "tui/demo.h"
#include "tui/profile.h"
#include "tui/secret.h"
#include "views/views.h"

#define EXIT_USAGE 2

/* Written only by the signal handler's target: the self-pipe's write end. */
static volatile int g_signal_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (g_signal_fd >= 0)
        (void)!write(g_signal_fd, &b, 1);
    errno = saved;
}

static int setup_signals(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    g_signal_fd = fds[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    const int sigs[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGCONT, SIGTSTP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

struct options {
    bool demo, readonly, version, help;
    const char *host, *user, *profile, *auth, *client_key, *config_path, *keys_path;
    const char *sandbox_path, *sandbox_args;
    int exit_after_frames;
    const char *batch;                          /* --batch FILE */
    bool json, dry_run, yes, stop_on_error;     /* batch output and writes */
    bool print_keys;
    bool mask;                                  /* --mask: personal data partly hidden */
};

static void usage(FILE *f)
{
    fputs("usage: membercare [options]\n"
          "\n"
          "A terminal console for member care on the Capillary loyalty platform.\n"
          "\n"
          "  --demo               start a local sandbox with demo data and sign in to it\n"
          "  --host URL           API host, e.g. https://eu.api.capillarytech.com\n"
          "                       (http:// only for loopback addresses)\n"
          "  --user TILL          till id to sign in as (demo: demo.agent)\n"
          "  --profile NAME       a profile from the config file\n"
          "  --auth basic|oauth   authentication kind (default basic)\n"
          "  --client-key KEY     OAuth client key (the secret comes from\n"
          "                       MEMBERCARE_CLIENT_SECRET or a prompt)\n"
          "  --readonly           hide and refuse every write action\n"
          "  --mask               mask mobile numbers, emails and names (demos, screen sharing)\n"
          "  --config FILE        configuration file (default $XDG_CONFIG_HOME/membercare/config)\n"
          "  --keys FILE          key bindings file (default $XDG_CONFIG_HOME/membercare/keys)\n"
          "  --sandbox PATH       sandbox binary for --demo (default: next to membercare)\n"
          "  --sandbox-args ARGS  extra sandbox flags for --demo, e.g. \"--latency 200\"\n"
          "  --batch FILE         run the commands of FILE (- for standard input) without\n"
          "                       a screen and print their results; exit 0 when all succeed\n"
          "  --json               with --batch: one JSON object per command\n"
          "  --dry-run            with --batch: print the requests writes would send\n"
          "  --yes                with --batch: send writes (they are refused without it)\n"
          "  --stop-on-error      with --batch: stop at the first command that fails\n"
          "  --print-keys         print the built-in key bindings as Markdown (docs/KEYS.md)\n"
          "  --version            print the version\n"
          "  --help               this text\n"
          "\n"
          "Secrets are never read from the command line: the password comes from\n"
          "MEMBERCARE_PASSWORD, the profile's password_command, or a prompt.\n",
          f);
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"demo", no_argument, NULL, 'd'},       {"host", required_argument, NULL, 'H'},
        {"user", required_argument, NULL, 'u'}, {"profile", required_argument, NULL, 'p'},
        {"auth", required_argument, NULL, 'a'}, {"client-key", required_argument, NULL, 'k'},
        {"readonly", no_argument, NULL, 'r'},   {"config", required_argument, NULL, 'c'},
        {"keys", required_argument, NULL, 'K'}, {"sandbox", required_argument, NULL, 's'},
        {"sandbox-args", required_argument, NULL, 'S'},
        {"exit-after-frames", required_argument, NULL, 'x'},
        {"version", no_argument, NULL, 'V'},    {"help", no_argument, NULL, 'h'},
        {"password", required_argument, NULL, 'P'},
        {"mask", no_argument, NULL, 'M'},
        {"batch", required_argument, NULL, 'B'},  {"json", no_argument, NULL, 'J'},
        {"dry-run", no_argument, NULL, 'D'},      {"yes", no_argument, NULL, 'Y'},
        {"stop-on-error", no_argument, NULL, 'E'}, {"print-keys", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->demo = true; break;
        case 'H': o->host = optarg; break;
        case 'u': o->user = optarg; break;
        case 'p': o->profile = optarg; break;
        case 'a': o->auth = optarg; break;
        case 'k': o->client_key = optarg; break;
        case 'r': o->readonly = true; break;
        case 'c': o->config_path = optarg; break;
        case 'K': o->keys_path = optarg; break;
        case 's': o->sandbox_path = optarg; break;
        case 'S': o->sandbox_args = optarg; break;
        case 'x': o->exit_after_frames = atoi(optarg); break;
        case 'V': o->version = true; break;
        case 'h': o->help = true; break;
        case 'M': o->mask = true; break;
        case 'B': o->batch = optarg; break;
        case 'J': o->json = true; break;
        case 'D': o->dry_run = true; break;
        case 'Y': o->yes = true; break;
        case 'E': o->stop_on_error = true; break;
        case 'R': o->print_keys = true; break;
        case 'P':
            fprintf(stderr, "membercare: --password is not accepted: other users can read the command "
                            "line; set MEMBERCARE_PASSWORD or use password_command\n");
            return -1;
        case ':':
            fprintf(stderr, "membercare: option '%s' needs a value (see --help)\n", argv[optind - 1]);
            return -1;
        default:
            fprintf(stderr, "membercare: unknown option '%s' (see --help)\n", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "membercare: unexpected argument '%s' (see --help)\n", argv[optind]);
        return -1;
    }
    if (!o->batch && (o->json || o->dry_run || o->yes || o->stop_on_error)) {
        fprintf(stderr, "membercare: --json, --dry-run, --yes and --stop-on-error go with --batch FILE\n");
        return -1;
    }
    if (o->auth && strcmp(o->auth, "basic") != 0 && strcmp(o->auth, "oauth") != 0) {
        fprintf(stderr, "membercare: --auth must be basic or oauth, not '%s'\n", o->auth);
        return -1;
    }
    return 0;
}

static const char *url_host(const char *url, char *buf, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    snprintf(buf, n, "%s", p);
    buf[strcspn(buf, "/")] = '\0';
    return buf;
}

/* The screens an action opens from anywhere. */
static const struct view_ops *top_level_screen(enum action a)
{
    switch (a) {
    case ACTION_REQUESTS: return &requests_view_ops;
    case ACTION_AUDIT: return &audit_view_ops;
    default: return NULL;
    }
}

static const char *default_keys_path(char *buf, size_t n)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    if (x && *x)
        snprintf(buf, n, "%s/membercare/keys", x);
    else
        snprintf(buf, n, "%s/.config/membercare/keys", getenv("HOME") ? getenv("HOME") : ".");
    return buf;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    if (parse_options(argc, argv, &o) != 0)
        return EXIT_USAGE;
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (o.print_keys) {
        struct keymap *defaults = keymap_new();
        char kerr[256];
        int rc = keymap_load_defaults(defaults, kerr, sizeof kerr);
        if (rc == 0)
            keyref_print(defaults, stdout);
        else
            fprintf(stderr, "membercare: %s\n", kerr);
        keymap_free(&defaults);
        return rc == 0 ? 0 : 1;
    }
    if (o.version) {
        printf("membercare %s\n", MC_VERSION);
        return 0;
    }
    if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        fprintf(stderr, "membercare: needs a terminal: %s is not one\n",
                !isatty(STDIN_FILENO) ? "standard input" : "standard output");
        return EXIT_USAGE;
    }
    const char *term = getenv("TERM");
    if (!o.batch && (!term || !*term || strcmp(term, "dumb") == 0)) {
        fprintf(stderr, "membercare: the terminal type '%s' cannot draw screens; "
                        "set TERM (e.g. xterm-256color)\n", term ? term : "");
        return EXIT_USAGE;
    }

    int status = 1;
    char err[512] = "";
    char path[1024], kpath[1024]; /* cfg_path may point into path: keys get their own */
    struct config cfg;
    config_init(&cfg);
    struct keymap *km = keymap_new();
    struct demo demo = {0};
    struct api *api = NULL;
    char secret[512] = "";
    int sig[2] = {-1, -1};

    /* A file named on the command line must be there: a typo must not
     * quietly drop a read-only profile or the agent's own bindings. The
     * default files may be missing. */
    for (int i = 0; i < 2; i++) {
        const char *named = i == 0 ? o.config_path : o.keys_path;
        if (named && access(named, F_OK) != 0) {
            fprintf(stderr, "membercare: %s: %s\n", named, strerror(errno));
            status = EXIT_USAGE;
            goto out;
        }
    }
    const char *cfg_path = o.config_path ? o.config_path : config_default_path(path, sizeof path);
    if (config_load_file(&cfg, cfg_path, err, sizeof err) != 0) {
        fprintf(stderr, "membercare: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (keymap_load_defaults(km, err, sizeof err) != 0 ||
        keymap_load_file(km, o.keys_path ? o.keys_path : default_keys_path(kpath, sizeof kpath), err,
                         sizeof err) != 0) {
        fprintf(stderr, "membercare: %s\n", err);
        status = EXIT_USAGE;
        goto out;
    }

    const struct config_profile *prof = NULL;
    if (!o.demo && (o.profile || (!o.host && cfg.default_profile))) {
        const char *name = o.profile ? o.profile : cfg.default_profile;
        prof = config_find_profile(&cfg, name);
        if (!prof) {
            fprintf(stderr, "membercare: no profile '%s' in %s\n", name, cfg_path);
            status = EXIT_USAGE;
            goto out;
        }
    }
    struct api_config ac = {0};
    const char *user = o.user ? o.user : prof ? prof->user : NULL;
    const char *host = o.host ? o.host : prof ? prof->host : NULL;
    bool oauth = o.auth ? strcmp(o.auth, "oauth") == 0 : prof && prof->auth == CONFIG_AUTH_OAUTH;
    bool readonly = o.readonly || (prof && prof->readonly);

    secret_protect_process();
    if (o.demo) {
        char sb[1024];
        const char *sandbox = o.sandbox_path ? o.sandbox_path : demo_default_sandbox(sb, sizeof sb);
        fprintf(stderr, "membercare: starting the demo sandbox...\r");
        if (demo_start(&demo, sandbox, o.sandbox_args, 300000, err, sizeof err) != 0) {
            fprintf(stderr, "membercare: %s\n", err);
            goto out;
        }
        host = demo.url;
        if (!user)
            user = "demo.agent";
        snprintf(secret, sizeof secret, "demo");
        oauth = false;
    } else {
        if (!host) {
            fprintf(stderr, "membercare: no host: use --demo, --host URL or a profile in %s\n", cfg_path);
            status = EXIT_USAGE;
            goto out;
        }
        if (!api_host_allowed(host, err, sizeof err)) {
            fprintf(stderr, "membercare: %s\n", err);
            status = EXIT_USAGE;
            goto out;
        }
        if (!oauth && !user) {
            fprintf(stderr, "membercare: no till id: use --user TILL or set user in the profile\n");
            status = EXIT_USAGE;
            goto out;
        }
        const char *key = o.client_key ? o.client_key : prof ? prof->client_key : NULL;
        if (oauth && !key) {
            fprintf(stderr, "membercare: OAuth needs a client key: --client-key or client_key in the profile\n");
            status = EXIT_USAGE;
            goto out;
        }
        char prompt[160];
        snprintf(prompt, sizeof prompt, "%s for %s: ", oauth ? "Client secret" : "Password",
                 oauth ? key : user);
        if (secret_get(oauth ? "MEMBERCARE_CLIENT_SECRET" : "MEMBERCARE_PASSWORD",
                       prof ? prof->password_command : NULL, prompt, secret, sizeof secret, err,
                       sizeof err) != 0) {
            fprintf(stderr, "membercare: %s\n", err);
            goto out;
        }
        ac.client_key = key;
    }
    /* Whichever secret variable was not read (the other auth kind's, or both
     * in the demo) is wiped as well: /proc/PID/environ shows the original
     * environment block, which unsetenv alone leaves in place. */
    static const char *const secret_vars[] = {"MEMBERCARE_PASSWORD", "MEMBERCARE_CLIENT_SECRET"};
    for (size_t i = 0; i < sizeof secret_vars / sizeof secret_vars[0]; i++) {
        char *v = getenv(secret_vars[i]);
        if (v) {
            secret_wipe(v, strlen(v));
            unsetenv(secret_vars[i]);
        }
    }
    ac.base_url = host;
    ac.auth = oauth ? API_AUTH_OAUTH : API_AUTH_BASIC;
    ac.user = user;
    if (oauth)
        ac.client_secret = secret;
    else
        ac.password = secret;

    struct api_error aerr = {0};
    api = api_new(&ac, &aerr);
    secret_wipe(secret, sizeof secret);
    if (!api) {
        fprintf(stderr, "membercare: %s\n", aerr.message);
        goto out;
    }
    if (o.batch) {
        /* the same rights as the console's (see app_config below) */
        bool demo_user = !oauth && user && strncmp(user, "demo.", 5) == 0;
        struct batch_config bc = {
            .api = api,
            .file = o.batch,
            .till = oauth ? (ac.client_key ? ac.client_key : "oauth") : user,
            .readonly = readonly,
            .can_make = !demo_user || strcmp(user, "demo.viewer") != 0,
            .can_check = !demo_user || strcmp(user, "demo.supervisor") == 0,
            .json = o.json,
            .dry_run = o.dry_run,
            .yes = o.yes,
            .stop_on_error = o.stop_on_error,
            .mask = o.mask,
        };
        status = batch_run(&bc);
        goto out;
    }
    if (setup_signals(sig) != 0) {
        fprintf(stderr, "membercare: cannot set up signals: %s\n", strerror(errno));
        goto out;
    }

    char cluster[128];
    struct profile_ctx pctx = {.config = &cfg, .readonly = o.readonly};
    /* The sandbox's demo tills have known rights, with --demo or --host alike. */
    bool demo_till = !oauth && user && strncmp(user, "demo.", 5) == 0;
    struct app_config appcfg = {
        .api = api,
        .km = km,
        .till = oauth ? (ac.client_key ? ac.client_key : "oauth") : user,
        .cluster = url_host(host, cluster, sizeof cluster),
        .profile = o.demo ? "demo" : prof ? prof->name : NULL,
        .readonly = readonly,
        /* A till's rights are not published by the API: the demo tills' are
         * known, a real till is assumed to have both until the server refuses. */
        .can_make = !demo_till || strcmp(user, "demo.viewer") != 0,
        .can_check = !demo_till || strcmp(user, "demo.supervisor") == 0,
        .signal_fd = sig[0],
        .help_ops = &help_view_ops,
        .screen_for = top_level_screen,
        .refresh_interval = cfg.refresh_interval,
        .flag_points = (double)cfg.goodwill_flag_points,
        .exit_after_frames = o.exit_after_frames,
        .config = &cfg,
        .profile_color = prof ? prof->color : NULL,
        .mask = o.mask,
        .connect = profile_connect,
        .connect_ctx = &pctx,
    };
    status = app_run(&appcfg, &search_view_ops, NULL);

out:
    secret_wipe(secret, sizeof secret);
    api_free(&api);
    demo_stop(&demo);
    keymap_free(&km);
    config_done(&cfg);
    g_signal_fd = -1;
    if (sig[0] >= 0) {
        close(sig[0]);
        close(sig[1]);
    }
    return status;
}

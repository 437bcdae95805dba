"""docs_test - the documentation matches the binaries.

* docs/membercare.1 and docs/membercare-sandbox.1 render without a groff
  warning, and every option each program's --help lists is in its page;
* docs/KEYS.md is exactly what `membercare --print-keys` prints (refresh it
  with `membercare --print-keys > docs/KEYS.md`);
* docs/CONFIG.md documents every key and theme role the config parser
  knows (read from tui/config.c and tui/theme_spec.c);
* `cmake --install` puts both binaries and both man pages in place;
* the README links to the documents it names, and they exist.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

BUILD = os.environ["MC_BUILD"]
SRC = os.environ["MC_SRC"]
DOCS = os.path.join(SRC, "docs")


def read(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as f:
        return f.read()


def help_options(binary):
    p = subprocess.run([os.path.join(BUILD, binary), "--help"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise AssertionError("%s --help exited %d: %s" % (binary, p.returncode, p.stderr))
    opts = set(re.findall(r"^\s+(--[a-z][a-z0-9-]*)", p.stdout.decode(), re.M))
    if len(opts) < 5:
        raise AssertionError("%s --help lists too few options: %s" % (binary, sorted(opts)))
    return opts


class ManPages(unittest.TestCase):
    def render_clean(self, page):
        if not shutil.which("groff"):
            self.fail("groff is not installed (tools/install-deps installs groff-base)")
        p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(DOCS, page)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stderr.decode(), "", "groff warnings for %s" % page)

    def options_documented(self, page, binary):
        roff = read(DOCS, page).replace("\\-", "-")
        missing = sorted(o for o in help_options(binary) if not re.search(re.escape(o) + r"(?![a-z0-9-])", roff))
        self.assertEqual(missing, [], "%s lacks options of `%s --help`" % (page, binary))

    def test_membercare_page(self):
        self.render_clean("membercare.1")
        self.options_documented("membercare.1", "membercare")
        roff = read(DOCS, "membercare.1")
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "KEYS", "FILES",
                        "ENVIRONMENT", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
            self.assertIn(".SH %s\n" % section, roff)
        for var in ("MEMBERCARE_PASSWORD", "MEMBERCARE_CLIENT_SECRET", "NO_COLOR", "XDG_CONFIG_HOME",
                    "XDG_STATE_HOME", "audit.jsonl", "membercare\\-sandbox (1)"):
            self.assertIn(var, roff)

    def test_sandbox_page(self):
        self.render_clean("membercare-sandbox.1")
        self.options_documented("membercare-sandbox.1", "membercare-sandbox")

    def test_man_renders(self):
        if not shutil.which("man"):
            self.skipTest("man is not installed")
        env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0")
        p = subprocess.run(["man", "-l", os.path.join(DOCS, "membercare.1")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        # man overstrikes bold and underline when its output is not a terminal
        text = re.sub(".\b", "", p.stdout.decode()).replace("\u2010", "-").replace("\u2212", "-")
        self.assertIn("--batch FILE", text)
        self.assertIn("EXIT STATUS", text)


class KeyReference(unittest.TestCase):
    def test_keys_md_is_current(self):
        p = subprocess.run([os.path.join(BUILD, "membercare"), "--print-keys"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        generated = p.stdout.decode()
        self.assertIn("## generic", generated)
        self.assertEqual(read(DOCS, "KEYS.md"), generated,
                         "docs/KEYS.md is stale: run `membercare --print-keys > docs/KEYS.md`")


class ConfigReference(unittest.TestCase):
    def test_every_key_documented(self):
        config_c = read(SRC, "tui", "config.c")
        keys = re.findall(r'\[KEY_[A-Z_]+\]\s*=\s*\{"([a-z_]+)"', config_c)
        self.assertGreaterEqual(len(keys), 10, "could not read the key table of tui/config.c")
        roles = re.search(r"theme_role_names\[THEME_ROLES\]\s*=\s*\{([^}]*)\}", read(SRC, "tui", "theme_spec.c"))
        self.assertIsNotNone(roles, "could not read the role names of tui/theme_spec.c")
        doc = read(DOCS, "CONFIG.md")
        missing = [k for k in keys + re.findall(r'"([a-z-]+)"', roles.group(1)) if "`%s`" % k not in doc]
        self.assertEqual(missing, [], "docs/CONFIG.md does not document these")
        for word in ("[profile NAME]", "[theme NAME]", "password_command", "chmod 600"):
            self.assertIn(word, doc)


class Install(unittest.TestCase):
    def test_install_puts_man_pages(self):
        prefix = tempfile.mkdtemp(prefix="mc-install-")
        try:
            p = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            for rel in ("bin/membercare", "bin/membercare-sandbox", "share/man/man1/membercare.1",
                        "share/man/man1/membercare-sandbox.1"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, rel)), "not installed: " + rel)
        finally:
            shutil.rmtree(prefix, ignore_errors=True)


class Readme(unittest.TestCase):
    def test_links_resolve(self):
        readme = read(SRC, "README.md")
        for target in ("docs/KEYS.md", "docs/CONFIG.md", "docs/membercare.1", "docs/PERFORMANCE.md"):
            self.assertIn("(%s)" % target, readme)
        for target in re.findall(r"\]\(((?:docs|tools)/[^)#]+)\)", readme):
            self.assertTrue(os.path.exists(os.path.join(SRC, target)), "README links to a missing " + target)

    def test_every_screen_captured(self):
        readme = read(SRC, "README.md")
        shots = dict(re.findall(r"<!-- screen:([a-z]+) -->\n```\n(.*?)```\n<!-- /screen -->", readme, re.S))
        for name in ("search", "customer", "ledger", "coupons", "tickets", "goodwill", "requests", "help"):
            self.assertIn(name, shots, "README has no screenshot of " + name)
            lines = shots[name].splitlines()
            self.assertTrue(lines and lines[0].startswith(" membercare"), "%s: not a capture of the console" % name)
            self.assertLessEqual(max(len(l) for l in lines), 80, name)
            self.assertLessEqual(len(lines), 24, name)
        p = subprocess.run([os.path.join(SRC, "tools", "readme-screens"), "--check"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr.decode())


if __name__ == "__main__":
    unittest.main(verbosity=2)

package dev.socketproxy.access;

import dev.socketproxy.access.body.BindMountPolicy;

/** The rules one client is judged by: its name for logs, its method rules and its bind-mount directories. */
public record ClientRules(String name, MethodRules rules, BindMountPolicy bindMounts) {}

package dev.linkwell.service.engine.nativeengine;

import java.net.URI;

/**
 * Where the native engine connects and which root it trusts, when something in the process decides it
 * (the embedded simulator of the demo mode). Without such a bean the engine uses
 * {@link NativeEngineProperties}.
 */
public record NativeEngineTarget(URI url, byte[] trustAnchor) {}

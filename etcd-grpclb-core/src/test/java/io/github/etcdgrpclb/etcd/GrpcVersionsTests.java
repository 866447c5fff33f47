package io.github.etcdgrpclb.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One grpc-java version on the class path, or a clear error listing what is there: grpc-api from
 * this build next to a grpc-stub jar that says it is 1.63.0, as net.devh 3.1 would bring it.
 */
class GrpcVersionsTests {

	@TempDir
	Path folder;

	@Test
	void thisBuildsClassPathShouldHaveOneVersion() {
		assertThat(GrpcVersions.found(getClass().getClassLoader())).containsKeys("grpc-api", "grpc-core")
			.allSatisfy((artifact, version) -> assertThat(version).isEqualTo(ManagedChannel.class.getPackage()
				.getImplementationVersion()));
		GrpcVersions.check(getClass().getClassLoader());
	}

	@Test
	void mixedVersionsShouldFailNamingEachArtifactAndVersion() throws IOException {
		Path oldStub = jarOf(ClientCalls.class, "1.63.0");
		URL api = ManagedChannel.class.getProtectionDomain().getCodeSource().getLocation();
		String current = ManagedChannel.class.getPackage().getImplementationVersion();
		try (URLClassLoader mixed = new URLClassLoader(new URL[] { api, oldStub.toUri().toURL() }, null)) {
			assertThatExceptionOfType(IncompatibleGrpcException.class).isThrownBy(() -> GrpcVersions.check(mixed))
				.withMessageContaining("io.grpc:grpc-api:" + current)
				.withMessageContaining("io.grpc:grpc-stub:1.63.0")
				.satisfies((ex) -> assertThat(ex.newest()).isEqualTo(current));
		}
	}

	@Test
	void versionsShouldBeOrderedByTheirNumbers() {
		assertThat(GrpcVersionOrder.INSTANCE.compare("1.9.0", "1.63.0")).isNegative();
		assertThat(GrpcVersionOrder.INSTANCE.compare("1.84.1", "1.84.0")).isPositive();
	}

	/** A jar holding the class's bytes with a manifest that names another version. */
	private Path jarOf(Class<?> type, String version) throws IOException {
		String entry = type.getName().replace('.', '/') + ".class";
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
		Path jar = this.folder.resolve("grpc-stub-" + version + ".jar");
		try (OutputStream out = Files.newOutputStream(jar);
				JarOutputStream jarOut = new JarOutputStream(out, manifest);
				InputStream bytes = type.getClassLoader().getResourceAsStream(entry)) {
			jarOut.putNextEntry(new JarEntry(entry));
			bytes.transferTo(jarOut);
			jarOut.closeEntry();
		}
		return jar;
	}

}

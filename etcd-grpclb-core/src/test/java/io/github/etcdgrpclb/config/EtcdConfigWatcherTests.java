package io.github.etcdgrpclb.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConfigFolderReader} and {@link EtcdConfigWatcher} against a real etcd: one consistent read,
 * then every change after it, across cut connections, compaction and an etcd restart.
 */
class EtcdConfigWatcherTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final List<ConfigFolderSnapshot> changes = new CopyOnWriteArrayList<>();

	private final ConfigWatchSettings settings = new ConfigWatchSettings(Duration.ofSeconds(2), Duration.ofMinutes(5));

	private Client client;

	private TcpProxy proxy;

	private EtcdConfigWatcher watcher;

	@AfterEach
	void close() {
		if (this.watcher != null) {
			this.watcher.close();
		}
		if (this.client != null) {
			this.client.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@Test
	void readShouldGiveEachFolderItsOwnKeysAtOneRevision() {
		raw.put("/config/read/a.b", "1");
		raw.put("/config/read/c/d", "2");
		raw.put("/config/read-more/x", "3");
		raw.put("/config/application/shared", "4");
		List<ConfigFolderSnapshot> read = ConfigFolderReader.read(client(),
				List.of("/config/application/", "/config/read/"), TIMEOUT);
		assertThat(read).extracting(ConfigFolderSnapshot::folder).containsExactly("/config/application/", "/config/read/");
		assertThat(read.get(0).entries()).containsEntry("shared", "4");
		assertThat(read.get(1).entries()).containsExactlyInAnyOrderEntriesOf(Map.of("a.b", "1", "c/d", "2"));
		assertThat(read.get(0).revision()).isEqualTo(read.get(1).revision()).isPositive();
	}

	@Test
	void readShouldFailWithTheFoldersWhenEtcdIsUnreachable() {
		this.proxy = new TcpProxy(URI.create(etcd.endpoints()));
		this.proxy.block();
		this.client = Client.builder().endpoints(this.proxy.endpoint("http")).waitForReady(false).build();
		assertThatExceptionOfType(ConfigReadException.class)
			.isThrownBy(() -> ConfigFolderReader.read(this.client, List.of("/config/down/"), Duration.ofSeconds(1)))
			.withMessageContaining("/config/down/");
	}

	@Test
	void watcherShouldDeliverPutsAndDeletesAfterTheRead() {
		raw.put("/config/live/kept", "1");
		raw.put("/config/live/removed", "2");
		start("/config/live/");
		raw.put("/config/live/added", "3");
		awaitEntries("/config/live/", Map.of("kept", "1", "removed", "2", "added", "3"));
		raw.delete("/config/live/removed");
		awaitEntries("/config/live/", Map.of("kept", "1", "added", "3"));
		int delivered = this.changes.size();
		raw.put("/config/live/kept", "1");
		raw.put("/config/live-other/kept", "9");
		raw.put("/config/live/added", "4");
		awaitEntries("/config/live/", Map.of("kept", "1", "added", "4"));
		assertThat(this.changes).as("a put of an unchanged value or of another folder delivers nothing")
			.hasSize(delivered + 1);
	}

	@Test
	void changesBetweenTheReadAndTheStartShouldNotBeLost() {
		raw.put("/config/gap/a", "1");
		List<ConfigFolderSnapshot> read = ConfigFolderReader.read(client(), List.of("/config/gap/"), TIMEOUT);
		raw.put("/config/gap/a", "2");
		this.watcher = new EtcdConfigWatcher(this.client, this.settings, this.changes::add);
		this.watcher.start(read);
		awaitEntries("/config/gap/", Map.of("a", "2"));
	}

	@Test
	void folderUnreadAtStartupShouldBeReadOnceEtcdAnswers() {
		raw.put("/config/late/a", "1");
		this.proxy = new TcpProxy(URI.create(etcd.endpoints()));
		this.proxy.block();
		this.client = Client.builder().endpoints(this.proxy.endpoint("http")).build();
		this.watcher = new EtcdConfigWatcher(this.client,
				new ConfigWatchSettings(Duration.ofMillis(300), Duration.ofMinutes(5)), this.changes::add);
		this.watcher.start(List.of(ConfigFolderSnapshot.unread("/config/late/")));
		await().atMost(TIMEOUT).until(() -> this.watcher.folders().get(0).lastError() != null);
		assertThat(this.changes).isEmpty();
		this.proxy.unblock();
		awaitEntries("/config/late/", Map.of("a", "1"));
		assertThat(this.watcher.folders().get(0)).satisfies((status) -> {
			assertThat(status.connected()).isTrue();
			assertThat(status.lastError()).isNull();
		});
	}

	@Test
	void changesWhileCutOffShouldArriveWhenTheConnectionIsBack() {
		raw.put("/config/cut/a", "1");
		this.proxy = new TcpProxy(URI.create(etcd.endpoints()));
		this.client = Client.builder().endpoints(this.proxy.endpoint("http")).build();
		start("/config/cut/");
		this.proxy.block();
		raw.put("/config/cut/a", "2");
		raw.delete("/config/cut/a");
		raw.put("/config/cut/b", "3");
		this.proxy.unblock();
		awaitEntries("/config/cut/", Map.of("b", "3"));
	}

	@Test
	void watchFromACompactedRevisionShouldReadTheFolderAgain() throws Exception {
		raw.put("/config/compacted/a", "1");
		List<ConfigFolderSnapshot> read = ConfigFolderReader.read(client(), List.of("/config/compacted/"), TIMEOUT);
		raw.put("/config/compacted/a", "2");
		raw.put("/config/compacted/b", "3");
		long revision = raw.client().getKVClient().put(bytes("/other"), bytes("x")).get().getHeader().getRevision();
		raw.client().getKVClient().compact(revision).get();
		this.watcher = new EtcdConfigWatcher(this.client, this.settings, this.changes::add);
		this.watcher.start(read);
		awaitEntries("/config/compacted/", Map.of("a", "2", "b", "3"));
		assertThat(this.watcher.folders().get(0).revision()).isGreaterThanOrEqualTo(revision);
	}

	@Test
	void watcherShouldFollowChangesAfterAnEtcdRestart() {
		raw.put("/config/restart/a", "1");
		start("/config/restart/");
		etcd.etcd().member(0).stop();
		etcd.etcd().member(0).start();
		raw.put("/config/restart/a", "2");
		awaitEntries("/config/restart/", Map.of("a", "2"));
	}

	@Test
	void closeShouldStopTheWatcherThread() {
		start("/config/closed/");
		this.watcher.close();
		await().atMost(TIMEOUT)
			.until(() -> Thread.getAllStackTraces().keySet().stream()
				.noneMatch((thread) -> thread.getName().equals("etcd-config-watch") && thread.isAlive()));
		raw.put("/config/closed/a", "1");
		assertThat(this.watcher.folders().get(0).keys()).isZero();
	}

	private Client client() {
		if (this.client == null) {
			this.client = Client.builder().endpoints(etcd.endpoints()).build();
		}
		return this.client;
	}

	private void start(String folder) {
		List<ConfigFolderSnapshot> read = ConfigFolderReader.read(client(), List.of(folder), TIMEOUT);
		this.watcher = new EtcdConfigWatcher(this.client, this.settings, this.changes::add);
		this.watcher.start(read);
	}

	private void awaitEntries(String folder, Map<String, String> entries) {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.changes).last()
			.satisfies((snapshot) -> {
				assertThat(snapshot.folder()).isEqualTo(folder);
				assertThat(snapshot.entries()).containsExactlyInAnyOrderEntriesOf(entries);
			}));
	}

}

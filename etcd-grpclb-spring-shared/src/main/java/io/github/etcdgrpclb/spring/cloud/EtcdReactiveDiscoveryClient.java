package io.github.etcdgrpclb.spring.cloud;

import java.util.List;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * Spring Cloud's {@link ReactiveDiscoveryClient} over the etcd registry: the blocking client's answers,
 * which come from memory (the catalog's watch); only before etcd was first listed does an answer wait,
 * on a thread meant for blocking, never on the caller's event loop.
 */
public class EtcdReactiveDiscoveryClient implements ReactiveDiscoveryClient {

	private final EtcdDiscoveryClient blocking;

	/** @param blocking the blocking client whose answers this one gives */
	public EtcdReactiveDiscoveryClient(EtcdDiscoveryClient blocking) {
		this.blocking = blocking;
	}

	@Override
	public String description() {
		return this.blocking.description();
	}

	@Override
	public Flux<ServiceInstance> getInstances(String serviceId) {
		return answer(() -> this.blocking.getInstances(serviceId));
	}

	@Override
	public Flux<String> getServices() {
		return answer(this.blocking::getServices);
	}

	private <T> Flux<T> answer(Supplier<List<T>> answer) {
		if (this.blocking.isSynced()) {
			return Flux.defer(() -> Flux.fromIterable(answer.get()));
		}
		return Mono.fromSupplier(answer).subscribeOn(Schedulers.boundedElastic()).flatMapMany(Flux::fromIterable);
	}

}

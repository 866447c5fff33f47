// The Go tutorial's weighted client, as its readers run it: an etcd resolver that lists and watches
// /grpclb/<service>/ (address = key minus the prefix, weight = strconv.Atoi(value), 1 when that
// fails) and a weighted-random balancer over the READY connections. It calls test.Echo/Echo N times
// and prints how many calls each server answered.
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/attributes"
	"google.golang.org/grpc/balancer"
	"google.golang.org/grpc/balancer/base"
	"google.golang.org/grpc/resolver"
)

type weightKey struct{}

type etcdResolver struct {
	cli    *clientv3.Client
	cc     resolver.ClientConn
	prefix string
	mu     sync.Mutex
	addrs  map[string]int
}

func (r *etcdResolver) update() {
	var list []resolver.Address
	for addr, weight := range r.addrs {
		list = append(list, resolver.Address{Addr: addr, Attributes: attributes.New(weightKey{}, weight)})
	}
	r.cc.UpdateState(resolver.State{Addresses: list})
}

func weightOf(value []byte) int {
	weight, err := strconv.Atoi(string(value))
	if err != nil || weight < 1 {
		return 1
	}
	return weight
}

func (r *etcdResolver) watch() {
	resp, err := r.cli.Get(context.Background(), r.prefix, clientv3.WithPrefix())
	if err != nil {
		panic(err)
	}
	r.mu.Lock()
	for _, kv := range resp.Kvs {
		r.addrs[strings.TrimPrefix(string(kv.Key), r.prefix)] = weightOf(kv.Value)
	}
	r.update()
	r.mu.Unlock()
	for wresp := range r.cli.Watch(context.Background(), r.prefix, clientv3.WithPrefix(), clientv3.WithRev(resp.Header.Revision+1)) {
		r.mu.Lock()
		for _, ev := range wresp.Events {
			addr := strings.TrimPrefix(string(ev.Kv.Key), r.prefix)
			if ev.Type == mvccpb.PUT {
				r.addrs[addr] = weightOf(ev.Kv.Value)
			} else {
				delete(r.addrs, addr)
			}
		}
		r.update()
		r.mu.Unlock()
	}
}

func (r *etcdResolver) ResolveNow(resolver.ResolveNowOptions) {}
func (r *etcdResolver) Close()                                {}

type builder struct{ cli *clientv3.Client }

func (b *builder) Scheme() string { return "grpclb" }
func (b *builder) Build(target resolver.Target, cc resolver.ClientConn, _ resolver.BuildOptions) (resolver.Resolver, error) {
	r := &etcdResolver{cli: b.cli, cc: cc, prefix: "/grpclb/" + target.Endpoint + "/", addrs: map[string]int{}}
	go r.watch()
	return r, nil
}

type pickerBuilder struct{}

type picker struct{ conns []balancer.SubConn }

func (pickerBuilder) Build(info base.PickerBuildInfo) balancer.Picker {
	if len(info.ReadySCs) == 0 {
		return base.NewErrPicker(balancer.ErrNoSubConnAvailable)
	}
	var conns []balancer.SubConn
	for conn, connInfo := range info.ReadySCs {
		weight, _ := connInfo.Address.Attributes.Value(weightKey{}).(int)
		for i := 0; i < weight; i++ {
			conns = append(conns, conn)
		}
	}
	return &picker{conns: conns}
}

func (p *picker) Pick(balancer.PickInfo) (balancer.PickResult, error) {
	return balancer.PickResult{SubConn: p.conns[rand.Intn(len(p.conns))]}, nil
}

type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error)      { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error { *(v.(*[]byte)) = append([]byte{}, data...); return nil }
func (rawCodec) Name() string                              { return "raw" }

func main() {
	endpoints, service := os.Args[1], os.Args[2]
	calls, _ := strconv.Atoi(os.Args[3])
	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(endpoints, ","), DialTimeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	resolver.Register(&builder{cli: cli})
	balancer.Register(base.NewBalancerBuilder("weight", pickerBuilder{}, base.Config{HealthCheck: false}))
	conn, err := grpc.Dial("grpclb:///"+service, grpc.WithInsecure(),
		grpc.WithDefaultServiceConfig(`{"loadBalancingPolicy":"weight"}`))
	if err != nil {
		panic(err)
	}
	counts := map[string]int{}
	for i := 0; i < calls; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, resp := []byte("x"), []byte{}
		err := conn.Invoke(ctx, "/test.Echo/Echo", &req, &resp, grpc.ForceCodec(rawCodec{}), grpc.WaitForReady(true))
		cancel()
		if err != nil {
			counts["FAILED"]++
			continue
		}
		counts[strings.SplitN(string(resp), ":", 2)[0]]++
	}
	for server, count := range counts {
		fmt.Printf("%s=%d\n", server, count)
	}
}

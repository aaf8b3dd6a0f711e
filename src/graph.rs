//! Graph algorithms over resources and the resources they point at
//! (required relations), each linear in nodes plus edges, so that checking
//! a spec stays linear in its size. Nodes are indexes; `edges[i]` lists the
//! nodes `i` points at.

/// For each node, the smallest of `values` over the nodes it reaches,
/// itself included: what a fixed-point loop of "take the minimum of my
/// targets" settles on, computed once per node. Nodes are visited in order
/// of value, each from the smallest node that reaches it.
pub(crate) fn reachable_min<T: Ord + Copy>(values: &[T], edges: &[Vec<usize>]) -> Vec<T> {
    let n = values.len();
    let mut pointed_from = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            pointed_from[to].push(from);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| values[i]);
    let mut out = values.to_vec();
    let mut done = vec![false; n];
    let mut stack = Vec::new();
    for source in order {
        if done[source] {
            continue;
        }
        done[source] = true;
        stack.push(source);
        while let Some(node) = stack.pop() {
            for &from in &pointed_from[node] {
                if !done[from] {
                    done[from] = true;
                    out[from] = values[source];
                    stack.push(from);
                }
            }
        }
    }
    out
}

/// The strongly connected component of each node (Tarjan's algorithm,
/// without recursion): two nodes share a number when each reaches the
/// other, so a cycle never leaves its component.
pub(crate) fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let (mut next, mut count) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are done)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(top) = calls.last_mut() {
            let (node, done) = *top;
            if let Some(&to) = edges[node].get(done) {
                top.1 += 1;
                if index[to] == UNSEEN {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(caller, _)) = calls.last() {
                low[caller] = low[caller].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = count;
                    if member == node {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_over_everything_reachable() {
        // 0 -> 1 -> 2, 3 -> 2, 4 alone, 5 <-> 6
        let edges = vec![vec![1], vec![2], vec![], vec![2], vec![], vec![6], vec![5]];
        let values = [4, 3, 2, 1, 0, 3, 1];
        assert_eq!(reachable_min(&values, &edges), vec![2, 2, 2, 1, 0, 1, 1]);
        let flags = [true, true, false, true, true, true, true];
        assert_eq!(
            reachable_min(&flags, &edges),
            vec![false, false, false, false, true, true, true]
        );
    }

    #[test]
    fn components_hold_cycles() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 3, 4 -> 0
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![0]];
        let c = components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[3], c[4]);
        assert_ne!(c[0], c[4]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let c = components(&edges);
        let mut sorted = c.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), n);
        let values: Vec<usize> = (0..n).rev().collect();
        assert!(reachable_min(&values, &edges).iter().all(|&v| v == 0));
    }
}

//! Where the nodes live: two arenas of fixed-size byte records (internal nodes and leaves) and
//! their labels, in pages of [`PAGE`] slots that clones share until one of them writes.
//!
//! A record is a run of bytes whose layout depends on the tree's shape (the key length, the value
//! length): keys and values sit inside the record, so a node costs no allocation of its own.
//! Pages are `Rc<[T]>`: cloning an arena copies one pointer per page, and the first write to a
//! shared page copies that page alone (`Rc::make_mut`).

use std::rc::Rc;

/// Slots per page. A clone costs one reference count per page; the first write to a page that a
/// clone still shares copies the page (a few KB).
pub(crate) const PAGE_BITS: u32 = 8;
pub(crate) const PAGE: usize = 1 << PAGE_BITS;
const PAGE_MASK: u32 = (1 << PAGE_BITS) - 1;

/// A child of an internal node: an internal node's index, or a leaf's index with the top bit set.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Default)]
pub(crate) struct NodeRef(u32);

const LEAF_BIT: u32 = 1 << 31;

/// The most slots of each kind: the top bit of a [`NodeRef`] tells leaves from internal nodes,
/// and [`NO_NODE`] is reserved.
pub(crate) const MAX_SLOTS: u32 = LEAF_BIT - 1;

/// An internal node index meaning "none": as a key bound, the sentinel key of that side.
pub(crate) const NO_NODE: u32 = u32::MAX;

impl NodeRef {
    pub(crate) fn leaf(index: u32) -> NodeRef {
        NodeRef(index | LEAF_BIT)
    }

    pub(crate) fn internal(index: u32) -> NodeRef {
        NodeRef(index)
    }

    pub(crate) fn is_leaf(self) -> bool {
        self.0 & LEAF_BIT != 0
    }

    /// The slot index in its arena.
    pub(crate) fn index(self) -> u32 {
        self.0 & !LEAF_BIT
    }

    pub(crate) fn to_bits(self) -> u32 {
        self.0
    }

    pub(crate) fn from_bits(bits: u32) -> NodeRef {
        NodeRef(bits)
    }
}

/// Slots of `stride` elements each, in shared pages.
#[derive(Clone)]
pub(crate) struct Pages<T: Copy + Default> {
    stride: usize,
    pages: Vec<Rc<[T]>>,
}

impl<T: Copy + Default> Pages<T> {
    pub(crate) fn new(stride: usize) -> Pages<T> {
        Pages {
            stride,
            pages: Vec::new(),
        }
    }

    /// Elements per slot.
    pub(crate) fn stride(&self) -> usize {
        self.stride
    }

    /// Makes slot `index` exist (pages are added whole, zeroed).
    pub(crate) fn ensure(&mut self, index: u32) {
        let page = (index >> PAGE_BITS) as usize;
        while self.pages.len() <= page {
            let slots = PAGE * self.stride;
            self.pages
                .push(std::iter::repeat(T::default()).take(slots).collect());
        }
    }

    #[inline(always)]
    pub(crate) fn get(&self, index: u32) -> &[T] {
        let page = &self.pages[(index >> PAGE_BITS) as usize];
        let at = (index & PAGE_MASK) as usize * self.stride;
        &page[at..at + self.stride]
    }

    #[inline(always)]
    pub(crate) fn get_mut(&mut self, index: u32) -> &mut [T] {
        let stride = self.stride;
        let page = &mut self.pages[(index >> PAGE_BITS) as usize];
        if Rc::get_mut(page).is_none() {
            unshare(page);
        }
        let at = (index & PAGE_MASK) as usize * stride;
        match Rc::get_mut(page) {
            Some(page) => &mut page[at..at + stride],
            None => unreachable!("a page unshared just above"),
        }
    }

    /// The bytes a new page takes, if taking slot `len` (the next new one) adds a page (else 0),
    /// with the room for its handle in the list of pages reserved now (`usize::MAX` when that
    /// cannot be had, the page being then impossible anyway).
    pub(crate) fn next_page_bytes(&mut self, len: u32) -> usize {
        let page_bytes = PAGE * self.stride * std::mem::size_of::<T>();
        next_page_bytes(&mut self.pages, len, page_bytes)
    }

    /// Bytes held by the pages (for memory accounting).
    pub(crate) fn allocated_bytes(&self) -> usize {
        self.pages.len() * PAGE * self.stride * std::mem::size_of::<T>()
    }
}

/// Records of one type, [`PAGE`] to a page, in pages shared like those of [`Pages`]: the links
/// of internal nodes, which every walk reads.
#[derive(Clone)]
pub(crate) struct TypedPages<T: Copy + Default> {
    pages: Vec<Rc<[T; PAGE]>>,
}

impl<T: Copy + Default> TypedPages<T> {
    pub(crate) fn new() -> TypedPages<T> {
        TypedPages { pages: Vec::new() }
    }

    /// Makes slot `index` exist (pages are added whole, of default records).
    pub(crate) fn ensure(&mut self, index: u32) {
        let page = (index >> PAGE_BITS) as usize;
        while self.pages.len() <= page {
            self.pages.push(Rc::new([T::default(); PAGE]));
        }
    }

    #[inline(always)]
    pub(crate) fn get(&self, index: u32) -> &T {
        &self.pages[(index >> PAGE_BITS) as usize][(index & PAGE_MASK) as usize]
    }

    #[inline(always)]
    pub(crate) fn get_mut(&mut self, index: u32) -> &mut T {
        let page = &mut self.pages[(index >> PAGE_BITS) as usize];
        if Rc::get_mut(page).is_none() {
            unshare_array(page);
        }
        match Rc::get_mut(page) {
            Some(page) => &mut page[(index & PAGE_MASK) as usize],
            None => unreachable!("a page unshared just above"),
        }
    }

    /// Like [`Pages::next_page_bytes`].
    pub(crate) fn next_page_bytes(&mut self, len: u32) -> usize {
        next_page_bytes(&mut self.pages, len, PAGE * std::mem::size_of::<T>())
    }

    /// Bytes held by the pages (for memory accounting).
    pub(crate) fn allocated_bytes(&self) -> usize {
        self.pages.len() * PAGE * std::mem::size_of::<T>()
    }
}

/// The `page_bytes` a new page takes if slot `len` (the next new one) is past the last of
/// `pages`, with room for its handle in `pages` reserved now; 0 when no page is added, and
/// `usize::MAX` when the handle's room cannot be had.
fn next_page_bytes<P>(pages: &mut Vec<P>, len: u32, page_bytes: usize) -> usize {
    if (len as usize) < pages.len() * PAGE {
        return 0;
    }
    if pages.try_reserve(1).is_err() {
        return usize::MAX;
    }
    page_bytes
}

/// Gives `page` a copy of its own: a clone still holds it.
#[cold]
#[inline(never)]
fn unshare_array<T: Copy, const N: usize>(page: &mut Rc<[T; N]>) {
    *page = Rc::new(**page);
}

/// Gives `page` a copy of its own: a clone still holds it.
#[cold]
#[inline(never)]
fn unshare<T: Copy>(page: &mut Rc<[T]>) {
    *page = Rc::from(&page[..]);
}

/// Which slots of an arena are in use: a high-water mark and a stack of freed slots.
///
/// During a batch slots are only taken, never given back (frees wait for the batch to end), so
/// returning to the batch's start is restoring two numbers: the stack's entries above `free_top`
/// are still the ones that were popped.
#[derive(Clone, Default)]
pub(crate) struct Slots {
    pub(crate) len: u32,
    free: Vec<u32>,
    pub(crate) free_top: usize,
}

impl Slots {
    /// A slot to use, or `None` when the arena is full.
    pub(crate) fn take(&mut self) -> Option<u32> {
        if self.free_top > 0 {
            self.free_top -= 1;
            return self.free.get(self.free_top).copied();
        }
        if self.len >= MAX_SLOTS {
            return None;
        }
        self.len += 1;
        Some(self.len - 1)
    }

    /// Whether [`Slots::take`] can give `count` more slots.
    pub(crate) fn can_take(&self, count: u32) -> bool {
        self.free_top as u64 + u64::from(MAX_SLOTS - self.len) >= u64::from(count)
    }

    pub(crate) fn give_back(&mut self, slot: u32) {
        if self.free_top < self.free.len() {
            self.free[self.free_top] = slot;
        } else {
            self.free.push(slot);
        }
        self.free_top += 1;
    }
}
